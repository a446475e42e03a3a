/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What the element tells the application: bus messages, property
 * notifications and the signals function-call and server-event. They are
 * gathered under the element lock and delivered after it, so that handlers
 * may call back into the element. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrealtimeaipriv.h"

#define GST_CAT_DEFAULT gst_realtime_ai_debug

enum
{
  SIGNAL_FUNCTION_CALL,
  SIGNAL_SERVER_EVENT,
  LAST_SIGNAL
};

static guint signals[LAST_SIGNAL];

typedef enum
{
  NOTICE_MESSAGE,
  NOTICE_FUNCTION_CALL,
  NOTICE_SERVER_EVENT,
  NOTICE_NOTIFY,
  NOTICE_PROGRESS,
} NoticeKind;

typedef struct
{
  NoticeKind kind;
  GstStructure *structure;      /* the message, or the signal's values */
  gchar *json;                  /* server events */
} Notice;

static void
notice_free (Notice * notice)
{
  if (notice->structure)
    gst_structure_free (notice->structure);
  g_free (notice->json);
  g_free (notice);
}

static void
add_notice (GstRealtimeAI * self, NoticeKind kind, GstStructure * structure,
    gchar * json)
{
  Notice *notice = g_new0 (Notice, 1);

  notice->kind = kind;
  notice->structure = structure;
  notice->json = json;
  g_queue_push_tail (&self->notices, notice);
}

/* The model called a function: a message, and the signal. */
void
gst_realtime_ai_function_call_locked (GstRealtimeAI * self,
    const GstRealtimeServerEvent * event)
{
  gst_realtime_ai_post_locked (self,
      gst_realtime_message_function_call (event));
  add_notice (self, NOTICE_FUNCTION_CALL,
      gst_realtime_message_function_call (event), NULL);
}


void
gst_realtime_ai_post_locked (GstRealtimeAI * self, GstStructure * structure)
{
  add_notice (self, NOTICE_MESSAGE, structure, NULL);
}

void
gst_realtime_ai_notify_locked (GstRealtimeAI * self, const gchar * property)
{
  add_notice (self, NOTICE_NOTIFY, gst_structure_new ("notify", "property",
          G_TYPE_STRING, property, NULL), NULL);
}

/* A GST_MESSAGE_PROGRESS of the connection's set-up. */
void
gst_realtime_ai_progress_locked (GstRealtimeAI * self, GstProgressType type,
    const gchar * text)
{
  add_notice (self, NOTICE_PROGRESS, gst_structure_new ("progress",
          "type", G_TYPE_INT, type, "text", G_TYPE_STRING, text, NULL), NULL);
}

/* Only copies the event when an application listens. */
void
gst_realtime_ai_server_event_locked (GstRealtimeAI * self,
    const gchar * type, const gchar * json, gsize json_size)
{
  if (!g_signal_has_handler_pending (self, signals[SIGNAL_SERVER_EVENT], 0,
          TRUE))
    return;
  add_notice (self, NOTICE_SERVER_EVENT, gst_structure_new ("server-event",
          "type", G_TYPE_STRING, type, NULL), g_strndup (json, json_size));
}

static void
deliver_progress (GstRealtimeAI * self, const GstStructure * s)
{
  gint type = GST_PROGRESS_TYPE_START;

  gst_structure_get_int (s, "type", &type);
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_progress (GST_OBJECT (self), type, "connect",
          gst_structure_get_string (s, "text")));
}

static void
deliver (GstRealtimeAI * self, Notice * notice)
{
  GstStructure *s = notice->structure;

  switch (notice->kind) {
    case NOTICE_MESSAGE:
      notice->structure = NULL;
      gst_element_post_message (GST_ELEMENT (self),
          gst_message_new_element (GST_OBJECT (self), s));
      break;
    case NOTICE_FUNCTION_CALL:
      g_signal_emit (self, signals[SIGNAL_FUNCTION_CALL], 0,
          gst_structure_get_string (s, "name"),
          gst_structure_get_string (s, "call-id"),
          gst_structure_get_string (s, "arguments"));
      break;
    case NOTICE_SERVER_EVENT:
      g_signal_emit (self, signals[SIGNAL_SERVER_EVENT], 0,
          gst_structure_get_string (s, "type"), notice->json);
      break;
    case NOTICE_NOTIFY:
      g_object_notify (G_OBJECT (self), gst_structure_get_string (s,
              "property"));
      break;
    case NOTICE_PROGRESS:
      deliver_progress (self, s);
      break;
  }
}

/* Delivers the notices gathered so far; call without the lock. */
void
gst_realtime_ai_flush_notices (GstRealtimeAI * self)
{
  Notice *notice;

  for (;;) {
    g_mutex_lock (&self->lock);
    notice = g_queue_pop_head (&self->notices);
    g_mutex_unlock (&self->lock);
    if (!notice)
      break;
    deliver (self, notice);
    notice_free (notice);
  }
}

void
gst_realtime_ai_clear_notices (GstRealtimeAI * self)
{
  g_queue_clear_full (&self->notices, (GDestroyNotify) notice_free);
}


void
gst_realtime_ai_install_notification_signals (GstRealtimeAIClass * klass)
{
  /**
   * GstRealtimeAI::function-call:
   * @realtimeai: the element
   * @name: the function's name
   * @call_id: the id to answer with
   * @arguments: the arguments, a JSON object as text
   *
   * The model called a function of #GstRealtimeAI:tools. Answer with
   * #GstRealtimeAI::function-call-output (from this handler or later, from
   * any thread). Emitted from the session thread; a
   * `realtime-function-call` element message says the same on the bus.
   */
  signals[SIGNAL_FUNCTION_CALL] = g_signal_new ("function-call",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * GstRealtimeAI::server-event:
   * @realtimeai: the element
   * @type: the event type, e.g. `response.done`
   * @json: the whole event as JSON text
   *
   * Every event the server sends, from the session thread. The element
   * copies events only while a handler is connected.
   */
  signals[SIGNAL_SERVER_EVENT] = g_signal_new ("server-event",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}
