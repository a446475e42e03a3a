/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstrealtimecarryover.h"

static void
carried_text_free (GstRealtimeCarriedText * carried)
{
  g_free (carried->text);
  g_free (carried);
}

void
gst_realtime_carry_over_clear (GstRealtimeCarryOver * carry_over)
{
  g_queue_clear_full (&carry_over->texts, (GDestroyNotify) carried_text_free);
  carry_over->chars = 0;
}

void
gst_realtime_carry_over_remember (GstRealtimeCarryOver * carry_over,
    gboolean assistant, const gchar * text)
{
  GstRealtimeCarriedText *carried;

  if (!text || !*text)
    return;
  carried = g_new0 (GstRealtimeCarriedText, 1);
  carried->assistant = assistant;
  carried->text = g_strdup (text);
  g_queue_push_tail (&carry_over->texts, carried);
  carry_over->chars += strlen (text);
  while (carry_over->texts.length > GST_REALTIME_CARRY_OVER_MAX_ITEMS
      || carry_over->chars > GST_REALTIME_CARRY_OVER_MAX_CHARS) {
    carried = g_queue_pop_head (&carry_over->texts);
    carry_over->chars -= strlen (carried->text);
    carried_text_free (carried);
  }
}
