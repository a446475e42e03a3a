/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The translation core's life, its actions, the server's events, the
 * target language, EOS and flush. The input and the output are
 * gstrealtimetranslationinput.c's and gstrealtimetranslationoutput.c's. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdarg.h>
#include <string.h>

#include "gstrealtimetranslationpriv.h"

#define DEFAULT_STALL (500 * GST_REALTIME_MSECOND)
#define DEFAULT_LATENCY (1000 * GST_REALTIME_MSECOND)
#define DEFAULT_MAX_FILL (10 * GST_REALTIME_SECOND)
#define DEFAULT_MAX_BACKLOG (10 * GST_REALTIME_SECOND)

/* ---------------------------------------------------------------------- */
/* Actions                                                                */
/* ---------------------------------------------------------------------- */

void
gst_realtime_translation_action_free (GstRealtimeTranslationAction * action)
{
  if (action == NULL)
    return;
  g_free (action->event);
  g_free (action->data);
  g_free (action->text);
  g_free (action->message);
  g_free (action->code);
  g_free (action);
}

GstRealtimeTranslationAction *
gst_realtime_translation_action_new (GstRealtimeTranslationActionType type)
{
  GstRealtimeTranslationAction *action =
      g_new0 (GstRealtimeTranslationAction, 1);

  action->type = type;
  action->start = GST_REALTIME_TIME_NONE;
  action->duration = GST_REALTIME_TIME_NONE;
  action->end = GST_REALTIME_TIME_NONE;
  return action;
}

void
gst_realtime_translation_queue (GstRealtimeTranslation * translation,
    GstRealtimeTranslationAction * action)
{
  g_queue_push_tail (&translation->actions, action);
}

GstRealtimeTranslationAction *
gst_realtime_translation_poll_action (GstRealtimeTranslation * translation)
{
  g_return_val_if_fail (translation != NULL, NULL);

  return g_queue_pop_head (&translation->actions);
}

gchar *
gst_realtime_translation_next_event_id (GstRealtimeTranslation * translation)
{
  return g_strdup_printf ("trans_%" G_GUINT64_FORMAT,
      ++translation->last_event_id);
}

/* Takes @event. */
void
gst_realtime_translation_send (GstRealtimeTranslation * translation,
    gchar * event, gboolean audio)
{
  GstRealtimeTranslationAction *action =
      gst_realtime_translation_action_new
      (GST_REALTIME_TRANSLATION_ACTION_SEND);

  action->event = event;
  action->audio = audio;
  gst_realtime_translation_queue (translation, action);
}

void
gst_realtime_translation_warn (GstRealtimeTranslation * translation,
    gboolean fatal, const gchar * code, const gchar * format, ...)
{
  GstRealtimeTranslationAction *action =
      gst_realtime_translation_action_new (fatal ?
      GST_REALTIME_TRANSLATION_ACTION_FAIL :
      GST_REALTIME_TRANSLATION_ACTION_WARN);
  va_list args;

  va_start (args, format);
  action->message = g_strdup_vprintf (format, args);
  va_end (args);
  action->code = g_strdup (code);
  gst_realtime_translation_queue (translation, action);
}

/* ---------------------------------------------------------------------- */
/* Life and settings                                                      */
/* ---------------------------------------------------------------------- */

static void
copy_config (GstRealtimeTranslationConfig * to,
    const GstRealtimeTranslationConfig * from)
{
  *to = *from;
  to->language = g_strdup (from->language);
  to->transcription_model = g_strdup (from->transcription_model);
}

GstRealtimeTranslation *
gst_realtime_translation_new (const GstRealtimeTranslationConfig * config)
{
  GstRealtimeTranslation *translation;

  g_return_val_if_fail (config != NULL, NULL);

  translation = g_new0 (GstRealtimeTranslation, 1);
  copy_config (&translation->config, config);
  translation->stall = DEFAULT_STALL;
  translation->latency = DEFAULT_LATENCY;
  translation->max_fill = DEFAULT_MAX_FILL;
  g_queue_init (&translation->actions);
  translation->last_elapsed_ms = -1;
  gst_realtime_translation_input_init (translation);
  gst_realtime_translation_set_backlog_limit (translation, DEFAULT_MAX_BACKLOG);
  gst_realtime_translation_track_reset (translation);
  return translation;
}

void
gst_realtime_translation_free (GstRealtimeTranslation * translation)
{
  if (translation == NULL)
    return;
  g_queue_clear_full (&translation->actions,
      (GDestroyNotify) gst_realtime_translation_action_free);
  gst_realtime_translation_input_clear (translation);
  g_free ((gchar *) translation->config.language);
  g_free ((gchar *) translation->config.transcription_model);
  g_free (translation->update_id);
  g_free (translation);
}

void
gst_realtime_translation_set_live (GstRealtimeTranslation * translation,
    gboolean live, GstRealtimeTime stall, GstRealtimeTime latency)
{
  g_return_if_fail (translation != NULL);

  translation->live = live;
  translation->stall = stall;
  translation->latency = latency;
}

void
gst_realtime_translation_set_limits (GstRealtimeTranslation * translation,
    GstRealtimeTime max_fill, GstRealtimeTime max_backlog)
{
  g_return_if_fail (translation != NULL);

  translation->max_fill = max_fill;
  gst_realtime_translation_set_backlog_limit (translation, max_backlog);
}

/* Only the language may change while the session runs. */
void
gst_realtime_translation_set_language (GstRealtimeTranslation * translation,
    const gchar * language)
{
  gchar *id;

  g_return_if_fail (translation != NULL);

  if (g_strcmp0 (language, translation->config.language) == 0)
    return;
  g_free ((gchar *) translation->config.language);
  translation->config.language = g_strdup (language);
  if (!translation->connected || language == NULL || *language == '\0')
    return;
  id = gst_realtime_translation_next_event_id (translation);
  gst_realtime_translation_send (translation,
      gst_realtime_protocol_build_translation_language (language, id), FALSE);
  g_free (id);
}

/* ---------------------------------------------------------------------- */
/* The session                                                            */
/* ---------------------------------------------------------------------- */

static void
send_close_when_due (GstRealtimeTranslation * translation)
{
  gchar *id;

  if (!translation->eos || translation->close_sent || !translation->connected
      || gst_realtime_translation_has_waiting (translation))
    return;
  id = gst_realtime_translation_next_event_id (translation);
  gst_realtime_translation_send (translation,
      gst_realtime_protocol_build_session_close (id), FALSE);
  g_free (id);
  translation->close_sent = TRUE;
}

/* The configuration first, then the audio the last connection left, then
 * (at EOS) the close. */
static void
on_session_created (GstRealtimeTranslation * translation)
{
  /* a new session knows nothing, lost connection or not (a renewal) */
  gst_realtime_backlog_unsend (translation->backlog);
  translation->connected = TRUE;
  translation->close_sent = FALSE;
  g_free (translation->update_id);
  translation->update_id = gst_realtime_translation_next_event_id (translation);
  gst_realtime_translation_send (translation,
      gst_realtime_protocol_build_translation_update (&translation->config,
          translation->update_id), FALSE);
  gst_realtime_translation_start_model (translation);
  gst_realtime_translation_send_waiting (translation);
  send_close_when_due (translation);
}

void
gst_realtime_translation_connection_lost (GstRealtimeTranslation * translation)
{
  g_return_if_fail (translation != NULL);

  translation->connected = FALSE;
  gst_realtime_backlog_unsend (translation->backlog);
}

static void
on_session_closed (GstRealtimeTranslation * translation)
{
  translation->connected = FALSE;
  if (!translation->eos || translation->drained)
    return;
  gst_realtime_translation_track_fill (translation, translation->input_end);
  gst_realtime_translation_queue (translation,
      gst_realtime_translation_action_new
      (GST_REALTIME_TRANSLATION_ACTION_DRAINED));
  translation->drained = TRUE;
}

/* A refused configuration or key ends the session; the rest is told. */
static gboolean
error_is_fatal (GstRealtimeTranslation * translation,
    const GstRealtimeServerEvent * event)
{
  return (event->error_event_id != NULL
      && g_strcmp0 (event->error_event_id, translation->update_id) == 0)
      || g_strcmp0 (event->error_code, "invalid_api_key") == 0
      || g_strcmp0 (event->error_type, "authentication_error") == 0;
}

static void
on_error (GstRealtimeTranslation * translation,
    const GstRealtimeServerEvent * event)
{
  gst_realtime_translation_warn (translation,
      error_is_fatal (translation, event), event->error_code,
      "The translation server reported an error: %s",
      event->error_message ? event->error_message : "(no message)");
}

void
gst_realtime_translation_handle_event (GstRealtimeTranslation * translation,
    const GstRealtimeServerEvent * event)
{
  g_return_if_fail (translation != NULL);
  g_return_if_fail (event != NULL);

  switch (event->type) {
    case GST_REALTIME_EVENT_SESSION_CREATED:
      on_session_created (translation);
      break;
    case GST_REALTIME_EVENT_SESSION_CLOSED:
      on_session_closed (translation);
      break;
    case GST_REALTIME_EVENT_ERROR:
      on_error (translation, event);
      break;
    case GST_REALTIME_EVENT_TRANSLATION_AUDIO_DELTA:
      gst_realtime_translation_on_audio (translation, event);
      break;
    case GST_REALTIME_EVENT_TRANSLATION_TEXT_DELTA:
    case GST_REALTIME_EVENT_TRANSLATION_SOURCE_DELTA:
      gst_realtime_translation_on_text (translation, event);
      break;
    default:
      break;
  }
}

/* Live: the model's time goes on without input, and the translated audio
 * plays on without output. */
void
gst_realtime_translation_tick (GstRealtimeTranslation * translation,
    GstRealtimeTime now)
{
  g_return_if_fail (translation != NULL);

  if (!translation->live || !GST_REALTIME_TIME_IS_VALID (now))
    return;
  gst_realtime_translation_fill_stall (translation, now);
  if (now > translation->latency && !translation->drained)
    gst_realtime_translation_track_fill (translation,
        now - translation->latency);
}

/* ---------------------------------------------------------------------- */
/* EOS and flush                                                          */
/* ---------------------------------------------------------------------- */

void
gst_realtime_translation_eos (GstRealtimeTranslation * translation)
{
  g_return_if_fail (translation != NULL);

  if (translation->eos)
    return;
  translation->input_end =
      gst_realtime_timeline_get_end (translation->timeline);
  gst_realtime_translation_finish_frame (translation);
  translation->eos = TRUE;
  send_close_when_due (translation);
}

/* The outputs of the audio sent so far belong to the time before the
 * flush. A session.close already sent stays sent: that session ends. */
void
gst_realtime_translation_flush (GstRealtimeTranslation * translation)
{
  g_return_if_fail (translation != NULL);

  gst_realtime_translation_drop_input (translation);
  translation->discard_before_ms =
      translation->model_frames * GST_REALTIME_TRANSLATION_FRAME_MS;
  translation->eos = FALSE;
  translation->drained = FALSE;
  gst_realtime_translation_track_reset (translation);
}
