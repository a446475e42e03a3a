/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The action signals: the application's requests (commit, responses,
 * function call results, raw events), carried out by the session core. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrealtimeaipriv.h"
#include "gstrealtimei18n.h"

#define GST_CAT_DEFAULT gst_realtime_ai_debug

enum
{
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
  gst_realtime_ai_deliver (self);
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
  event_id = gst_realtime_core_next_event_id (self->core);
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
gst_realtime_ai_install_action_signals (GstRealtimeAIClass * klass)
{
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
