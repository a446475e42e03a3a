/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The application's side of the element: its signals, the requests it
 * sends to the server, and the notices (bus messages, signal emissions)
 * gathered under the element lock and delivered after it, so handlers may
 * call back into the element. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrealtimeaipriv.h"
#include "gstrealtimei18n.h"

#define GST_CAT_DEFAULT gst_realtime_ai_debug

enum
{
  SIGNAL_FUNCTION_CALL,
  SIGNAL_SERVER_EVENT,
  SIGNAL_COMMIT,
  SIGNAL_CLEAR_INPUT,
  SIGNAL_CREATE_RESPONSE,
  SIGNAL_REQUEST_RESPONSE,
  SIGNAL_CANCEL_RESPONSE,
  SIGNAL_FUNCTION_CALL_OUTPUT,
  SIGNAL_SEND_EVENT,
  LAST_SIGNAL
};

static guint signals[LAST_SIGNAL];

typedef enum
{
  NOTICE_MESSAGE,
  NOTICE_FUNCTION_CALL,
  NOTICE_SERVER_EVENT,
  NOTICE_NOTIFY,
  NOTICE_INTERRUPT_AUDIO,
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

/* ------------------------------------------------------------------ */
/* Requests */

gchar *
gst_realtime_ai_next_event_id_locked (GstRealtimeAI * self)
{
  return gst_realtime_core_next_event_id (self->core);
}

/* Queues a small control event behind the audio already queued. */
void
gst_realtime_ai_queue_control_locked (GstRealtimeAI * self, gchar * event)
{
  if (!self->transport) {
    g_free (event);
    return;
  }
  gst_realtime_transport_queue_control (self->transport, event);
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

/* ------------------------------------------------------------------ */
/* Notices */

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

/* Flushing the audio pad waits for its task, which takes the lock. */
void
gst_realtime_ai_interrupt_audio_locked (GstRealtimeAI * self)
{
  add_notice (self, NOTICE_INTERRUPT_AUDIO, NULL, NULL);
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
    case NOTICE_INTERRUPT_AUDIO:
      gst_realtime_ai_interrupt_audio (self);
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

/* ------------------------------------------------------------------ */
/* Action signals */

/* Takes the lock if a session is there to talk to. */
static gboolean
lock_session (GstRealtimeAI * self)
{
  g_mutex_lock (&self->lock);
  if (self->transport && !self->failed)
    return TRUE;
  g_mutex_unlock (&self->lock);
  GST_WARNING_OBJECT (self, "no session: not connected");
  return FALSE;
}

/* Carries out what the request made the core do. */
static void
unlock_session (GstRealtimeAI * self)
{
  gst_realtime_ai_run_core_locked (self, NULL);
  gst_realtime_ai_wake_locked (self);
  g_mutex_unlock (&self->lock);
  gst_realtime_ai_flush_notices (self);
}

static void
commit_action (GstRealtimeAI * self)
{
  if (!lock_session (self))
    return;
  gst_realtime_core_commit (self->core, FALSE);
  unlock_session (self);
}

static void
clear_input_action (GstRealtimeAI * self)
{
  if (!lock_session (self))
    return;
  gst_realtime_core_clear_input (self->core);
  unlock_session (self);
}

/* Checked as sent: with the tag, which takes one of the metadata slots. */
static gboolean
overrides_are_valid (GstRealtimeAI * self, const gchar * overrides)
{
  gchar *tagged = gst_realtime_protocol_overrides_add_metadata (overrides,
      GST_REALTIME_REQUEST_TAG, "gstrt_0");
  GError *error = NULL;
  gboolean valid =
      gst_realtime_protocol_validate_response_overrides (tagged, &error);

  g_free (tagged);
  if (valid)
    return TRUE;
  GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS,
      (_("Ignored a response request: %s"), error->message), (NULL));
  g_error_free (error);
  return FALSE;
}

static gboolean
create_response_action (GstRealtimeAI * self, const gchar * overrides)
{
  if (overrides && !*overrides)
    overrides = NULL;
  if (overrides && !overrides_are_valid (self, overrides))
    return FALSE;
  if (!lock_session (self))
    return FALSE;
  if (gst_realtime_protocol_overrides_out_of_band (overrides))
    gst_realtime_core_request_out_of_band (self->core, overrides);
  else
    gst_realtime_core_request_response (self->core, overrides);
  unlock_session (self);
  return TRUE;
}

static void
cancel_response_action (GstRealtimeAI * self)
{
  if (!lock_session (self))
    return;
  gst_realtime_core_cancel_response (self->core);
  unlock_session (self);
}

static gboolean
function_call_output_action (GstRealtimeAI * self, const gchar * call_id,
    const gchar * output)
{
  if (!call_id || !*call_id || !lock_session (self))
    return FALSE;
  if (!gst_realtime_core_function_call_output (self->core, call_id, output))
    GST_WARNING_OBJECT (self, "output for unknown call %s", call_id);
  unlock_session (self);
  return TRUE;
}

static gboolean
send_event_action (GstRealtimeAI * self, const gchar * json)
{
  GError *error = NULL;
  gchar *event_id, *event;

  if (!lock_session (self))
    return FALSE;
  event_id = gst_realtime_ai_next_event_id_locked (self);
  event = gst_realtime_protocol_prepare_client_event (json, event_id, NULL,
      &error);
  g_free (event_id);
  if (event)
    gst_realtime_ai_queue_control_locked (self, event);
  unlock_session (self);

  if (!event) {
    GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS,
        (_("Ignored a client event: %s"), error->message), (NULL));
    g_error_free (error);
  }
  return event != NULL;
}

static void
install_notification_signals (GstRealtimeAIClass * klass)
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

static guint
new_action (GstRealtimeAIClass * klass, const gchar * name,
    GCallback handler, GType return_type, guint n_params, ...)
{
  va_list args;
  guint id;

  va_start (args, n_params);
  id = g_signal_new_valist (name, G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION, g_cclosure_new (handler, NULL,
          NULL), NULL, NULL, NULL, return_type, n_params, args);
  va_end (args);
  return id;
}

void
gst_realtime_ai_install_signals (GstRealtimeAIClass * klass)
{
  install_notification_signals (klass);

  /**
   * GstRealtimeAI::commit:
   *
   * Ends the user's turn: commits the audio sent since the last commit.
   * For #GstRealtimeAI:turn-detection `none` (push-to-talk); follow with
   * #GstRealtimeAI::request-response for a reply.
   */
  signals[SIGNAL_COMMIT] = new_action (klass, "commit",
      G_CALLBACK (commit_action), G_TYPE_NONE, 0);
  /**
   * GstRealtimeAI::clear-input:
   *
   * Drops the audio sent since the last commit.
   */
  signals[SIGNAL_CLEAR_INPUT] = new_action (klass, "clear-input",
      G_CALLBACK (clear_input_action), G_TYPE_NONE, 0);
  /**
   * GstRealtimeAI::request-response:
   * @overrides: (nullable): a JSON object of response settings, e.g.
   *   `{"instructions":"Be brief","metadata":{"topic":"x"}}`; with
   *   `"conversation":"none"` the response is out-of-band
   *
   * Asks the model to reply. Only one response may write to the
   * conversation at a time: a request made while one runs is sent after
   * it. Returns %FALSE (with a warning) when @overrides is not valid.
   */
  signals[SIGNAL_REQUEST_RESPONSE] = new_action (klass, "request-response",
      G_CALLBACK (create_response_action), G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
  /**
   * GstRealtimeAI::create-response:
   * @overrides: (nullable): as for #GstRealtimeAI::request-response
   *
   * The old name of #GstRealtimeAI::request-response, which bindings
   * confused with the #GstRealtimeAI:create-response property.
   *
   * Deprecated: use #GstRealtimeAI::request-response.
   */
  signals[SIGNAL_CREATE_RESPONSE] =
      g_signal_new_class_handler ("create-response",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION |
      G_SIGNAL_DEPRECATED, G_CALLBACK (create_response_action), NULL, NULL,
      NULL, G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
  /**
   * GstRealtimeAI::cancel-response:
   *
   * Stops the response in progress.
   */
  signals[SIGNAL_CANCEL_RESPONSE] = new_action (klass, "cancel-response",
      G_CALLBACK (cancel_response_action), G_TYPE_NONE, 0);
  /**
   * GstRealtimeAI::function-call-output:
   * @call_id: the call answered
   * @output: the result, usually JSON text
   *
   * Answers a #GstRealtimeAI::function-call. Once every call of the
   * response is answered, the model goes on with a new response.
   */
  signals[SIGNAL_FUNCTION_CALL_OUTPUT] = new_action (klass,
      "function-call-output", G_CALLBACK (function_call_output_action),
      G_TYPE_BOOLEAN, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * GstRealtimeAI::send-event:
   * @json: a client event, a JSON object with a "type"
   *
   * Sends a raw client event (an `event_id` is added when it has none).
   * Returns %FALSE (with a warning) when @json is not a valid event.
   */
  signals[SIGNAL_SEND_EVENT] = new_action (klass, "send-event",
      G_CALLBACK (send_event_action), G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
}
