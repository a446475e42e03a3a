/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What a new session is told of the conversation so far: the last turns'
 * final text, the user's and the model's, within a bound. Not
 * thread-safe: the core calls it. */

#ifndef __GST_REALTIME_CARRY_OVER_H__
#define __GST_REALTIME_CARRY_OVER_H__

#include <glib.h>

G_BEGIN_DECLS

/* How much of the conversation a new session gets. */
#define GST_REALTIME_CARRY_OVER_MAX_ITEMS 16
#define GST_REALTIME_CARRY_OVER_MAX_CHARS 8000

typedef struct
{
  gboolean assistant;
  gchar *text;
} GstRealtimeCarriedText;

/* Zeroed, it is empty. */
typedef struct
{
  GQueue texts;                 /* GstRealtimeCarriedText */
  gsize chars;
} GstRealtimeCarryOver;

void gst_realtime_carry_over_clear (GstRealtimeCarryOver * carry_over);
/* Keeps @text (empty text is not kept), dropping the oldest past the
 * bound. */
void gst_realtime_carry_over_remember (GstRealtimeCarryOver * carry_over,
    gboolean assistant, const gchar * text);

G_END_DECLS

#endif /* __GST_REALTIME_CARRY_OVER_H__ */
