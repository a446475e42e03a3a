/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The Realtime protocol as pure functions: client events are built as JSON
 * strings, server events are parsed into small C structs. No I/O and no
 * GStreamer objects here, so this layer is unit-tested and fuzzed alone. */

#ifndef __GST_REALTIME_PROTOCOL_H__
#define __GST_REALTIME_PROTOCOL_H__

#include <glib.h>
#include "gstrealtimeenums.h"

G_BEGIN_DECLS

#define GST_REALTIME_PROTOCOL_ERROR (gst_realtime_protocol_error_quark ())
GQuark gst_realtime_protocol_error_quark (void);

typedef enum
{
  GST_REALTIME_PROTOCOL_ERROR_MALFORMED,        /* not JSON, or not an object */
  /* a known event with a missing or wrongly typed field */
  GST_REALTIME_PROTOCOL_ERROR_INVALID,
} GstRealtimeProtocolError;

/* Input and output audio format of a session. */
typedef enum
{
  GST_REALTIME_AUDIO_FORMAT_PCM16,      /* S16LE mono 24 kHz */
  GST_REALTIME_AUDIO_FORMAT_PCMU,       /* G.711 mu-law 8 kHz */
  GST_REALTIME_AUDIO_FORMAT_PCMA,       /* G.711 A-law 8 kHz */
} GstRealtimeAudioFormat;

typedef struct
{
  GstRealtimeTurnDetection type;
  gdouble threshold;            /* server VAD, 0.0 - 1.0 */
  gint prefix_padding_ms;       /* server VAD */
  gint silence_duration_ms;     /* server VAD */
  gboolean create_response;
  gboolean interrupt_response;
} GstRealtimeTurnDetectionConfig;

/* Everything a GA session.update carries. Strings may be NULL or empty,
 * which omits the field. */
typedef struct
{
  const gchar *instructions;
  const gchar *voice;
  GstRealtimeOutputModality output_modality;
  GstRealtimeAudioFormat input_format;
  GstRealtimeAudioFormat output_format;
  GstRealtimeTurnDetectionConfig turn_detection;
} GstRealtimeSessionConfig;

void gst_realtime_session_config_init (GstRealtimeSessionConfig * config);

/* Client events. Each returns a newly allocated JSON object string that
 * carries @event_id. */
gchar *gst_realtime_protocol_build_session_update (const
    GstRealtimeSessionConfig * config, const gchar * event_id);
gchar *gst_realtime_protocol_build_append (const guint8 * audio, gsize size,
    const gchar * event_id);
gchar *gst_realtime_protocol_build_commit (const gchar * event_id);
gchar *gst_realtime_protocol_build_clear (const gchar * event_id);
gchar *gst_realtime_protocol_build_response_create (const gchar * event_id);
gchar *gst_realtime_protocol_build_response_cancel (const gchar * event_id,
    const gchar * response_id);
gchar *gst_realtime_protocol_build_item_truncate (const gchar * event_id,
    const gchar * item_id, guint content_index, guint audio_end_ms);

typedef enum
{
  GST_REALTIME_EVENT_UNKNOWN,
  GST_REALTIME_EVENT_ERROR,
  GST_REALTIME_EVENT_SESSION_CREATED,
  GST_REALTIME_EVENT_SESSION_UPDATED,
  GST_REALTIME_EVENT_SPEECH_STARTED,
  GST_REALTIME_EVENT_SPEECH_STOPPED,
  GST_REALTIME_EVENT_INPUT_COMMITTED,
  GST_REALTIME_EVENT_INPUT_CLEARED,
  GST_REALTIME_EVENT_ITEM_ADDED,
  GST_REALTIME_EVENT_ITEM_DONE,
  GST_REALTIME_EVENT_ITEM_TRUNCATED,
  GST_REALTIME_EVENT_INPUT_TRANSCRIPT_DELTA,
  GST_REALTIME_EVENT_INPUT_TRANSCRIPT_COMPLETED,
  GST_REALTIME_EVENT_RESPONSE_CREATED,
  GST_REALTIME_EVENT_RESPONSE_DONE,
  GST_REALTIME_EVENT_AUDIO_DELTA,
  GST_REALTIME_EVENT_AUDIO_DONE,
  GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DELTA,
  GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DONE,
  GST_REALTIME_EVENT_TEXT_DELTA,
  GST_REALTIME_EVENT_TEXT_DONE,
  GST_REALTIME_EVENT_RATE_LIMITS_UPDATED,
} GstRealtimeEventType;

/* A parsed server event. Fields a given event does not carry are NULL, or
 * -1 for the numeric ones. */
typedef struct
{
  GstRealtimeEventType type;
  gchar *type_name;             /* the "type" string as received */
  gchar *event_id;

  gchar *session_id;            /* session.created/updated */
  gint64 expires_at;            /* session.created/updated, epoch seconds */

  gchar *item_id;
  gchar *previous_item_id;
  gchar *item_role;             /* item.added/done: "user", "assistant", ... */
  gchar *response_id;
  gint output_index;
  gint content_index;
  gint64 audio_start_ms;        /* speech_started */
  gint64 audio_end_ms;          /* speech_stopped, item.truncated */

  gchar *text;                  /* a delta, or the final text/transcript */
  guint8 *audio;                /* decoded audio delta */
  gsize audio_size;

  gchar *status;                /* response.done: completed, cancelled, ... */
  gchar *status_reason;         /* response.done: turn_detected, ... */

  /* error events, and failed responses */
  gchar *error_type;
  gchar *error_code;
  gchar *error_message;
  gchar *error_param;
  gchar *error_event_id;        /* the client event that caused it */
} GstRealtimeServerEvent;

GstRealtimeServerEvent *gst_realtime_protocol_parse (const gchar * data,
    gsize size, GError ** error);
void gst_realtime_server_event_free (GstRealtimeServerEvent * event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstRealtimeServerEvent,
    gst_realtime_server_event_free)

G_END_DECLS

#endif /* __GST_REALTIME_PROTOCOL_H__ */
