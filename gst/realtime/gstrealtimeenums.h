/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_REALTIME_ENUMS_H__
#define __GST_REALTIME_ENUMS_H__

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * GstRealtimeOutputModality:
 * @GST_REALTIME_OUTPUT_MODALITY_AUDIO: spoken replies on `src`, their
 *   transcript on `text_src`
 * @GST_REALTIME_OUTPUT_MODALITY_TEXT: text replies on `text_src` only
 *
 * What the model answers with. The GA protocol allows one of the two.
 */
typedef enum
{
  GST_REALTIME_OUTPUT_MODALITY_AUDIO,
  GST_REALTIME_OUTPUT_MODALITY_TEXT,
} GstRealtimeOutputModality;

/**
 * GstRealtimeTurnDetection:
 * @GST_REALTIME_TURN_DETECTION_SERVER_VAD: the server detects turns from
 *   the audio energy
 * @GST_REALTIME_TURN_DETECTION_SEMANTIC_VAD: the server detects turns from
 *   what is said
 * @GST_REALTIME_TURN_DETECTION_NONE: the application commits turns itself
 */
typedef enum
{
  GST_REALTIME_TURN_DETECTION_SERVER_VAD,
  GST_REALTIME_TURN_DETECTION_SEMANTIC_VAD,
  GST_REALTIME_TURN_DETECTION_NONE,
} GstRealtimeTurnDetection;

/**
 * GstRealtimeEagerness:
 * @GST_REALTIME_EAGERNESS_AUTO: the server's choice (medium)
 * @GST_REALTIME_EAGERNESS_LOW: waits up to 8 s for the speaker to go on
 * @GST_REALTIME_EAGERNESS_MEDIUM: waits up to 4 s
 * @GST_REALTIME_EAGERNESS_HIGH: waits up to 2 s
 *
 * How soon semantic turn detection ends a turn.
 */
typedef enum
{
  GST_REALTIME_EAGERNESS_AUTO,
  GST_REALTIME_EAGERNESS_LOW,
  GST_REALTIME_EAGERNESS_MEDIUM,
  GST_REALTIME_EAGERNESS_HIGH,
} GstRealtimeEagerness;

/**
 * GstRealtimeNoiseReduction:
 * @GST_REALTIME_NOISE_REDUCTION_OFF: none
 * @GST_REALTIME_NOISE_REDUCTION_NEAR_FIELD: for headsets and close mics
 * @GST_REALTIME_NOISE_REDUCTION_FAR_FIELD: for laptop and room mics
 *
 * Noise reduction the server applies to the input before VAD and the model.
 */
typedef enum
{
  GST_REALTIME_NOISE_REDUCTION_OFF,
  GST_REALTIME_NOISE_REDUCTION_NEAR_FIELD,
  GST_REALTIME_NOISE_REDUCTION_FAR_FIELD,
} GstRealtimeNoiseReduction;

/**
 * GstRealtimeTranscriptionDelay:
 * @GST_REALTIME_TRANSCRIPTION_DELAY_DEFAULT: the server's choice (not sent)
 * @GST_REALTIME_TRANSCRIPTION_DELAY_MINIMAL: text as soon as possible
 * @GST_REALTIME_TRANSCRIPTION_DELAY_LOW: short wait
 * @GST_REALTIME_TRANSCRIPTION_DELAY_MEDIUM: medium wait
 * @GST_REALTIME_TRANSCRIPTION_DELAY_HIGH: long wait
 * @GST_REALTIME_TRANSCRIPTION_DELAY_XHIGH: longest wait, most accurate
 *
 * How long the transcription model waits for more audio before it emits
 * text (GA `audio.input.transcription.delay`).
 */
typedef enum
{
  GST_REALTIME_TRANSCRIPTION_DELAY_DEFAULT,
  GST_REALTIME_TRANSCRIPTION_DELAY_MINIMAL,
  GST_REALTIME_TRANSCRIPTION_DELAY_LOW,
  GST_REALTIME_TRANSCRIPTION_DELAY_MEDIUM,
  GST_REALTIME_TRANSCRIPTION_DELAY_HIGH,
  GST_REALTIME_TRANSCRIPTION_DELAY_XHIGH,
} GstRealtimeTranscriptionDelay;

/**
 * GstRealtimeSessionType:
 * @GST_REALTIME_SESSION_TYPE_REALTIME: a conversation with the model
 * @GST_REALTIME_SESSION_TYPE_TRANSCRIPTION: transcription only, no replies
 * @GST_REALTIME_SESSION_TYPE_TRANSLATION: live interpretation into a target
 *   language (`/v1/realtime/translations`): translated audio and text, no
 *   turns
 *
 * The kind of session, GA `session.type`; a translation session is a
 * session of its own with its own events.
 */
typedef enum
{
  GST_REALTIME_SESSION_TYPE_REALTIME,
  GST_REALTIME_SESSION_TYPE_TRANSCRIPTION,
  GST_REALTIME_SESSION_TYPE_TRANSLATION,
} GstRealtimeSessionType;

/**
 * GstRealtimeTextOutput:
 * @GST_REALTIME_TEXT_OUTPUT_REPLIES: the model's replies
 * @GST_REALTIME_TEXT_OUTPUT_TRANSCRIPTS: what the user said
 * @GST_REALTIME_TEXT_OUTPUT_BOTH: both, in turn order; each buffer carries
 *   a `GstRealtimeTextMeta` custom meta saying whose text it is
 *
 * What `text_src` carries in a conversation session.
 */
typedef enum
{
  GST_REALTIME_TEXT_OUTPUT_REPLIES,
  GST_REALTIME_TEXT_OUTPUT_TRANSCRIPTS,
  GST_REALTIME_TEXT_OUTPUT_BOTH,
} GstRealtimeTextOutput;

/**
 * GstRealtimeProtocolVersion:
 * @GST_REALTIME_PROTOCOL_AUTO: beta for Azure preview URLs
 *   (`/openai/realtime?api-version=`), GA otherwise
 * @GST_REALTIME_PROTOCOL_GA: the GA protocol (gpt-realtime)
 * @GST_REALTIME_PROTOCOL_BETA: the beta shape (`OpenAI-Beta: realtime=v1`)
 *
 * Which dialect of the Realtime protocol the server speaks.
 */
typedef enum
{
  GST_REALTIME_PROTOCOL_AUTO,
  GST_REALTIME_PROTOCOL_GA,
  GST_REALTIME_PROTOCOL_BETA,
} GstRealtimeProtocolVersion;

/**
 * GstRealtimeAuth:
 * @GST_REALTIME_AUTH_AUTO: an `api-key` header for Azure URLs (path
 *   starting with `/openai/`), a Bearer token otherwise
 * @GST_REALTIME_AUTH_BEARER: `Authorization: Bearer KEY`
 * @GST_REALTIME_AUTH_API_KEY: `api-key: KEY`
 *
 * How the key is sent.
 */
typedef enum
{
  GST_REALTIME_AUTH_AUTO,
  GST_REALTIME_AUTH_BEARER,
  GST_REALTIME_AUTH_API_KEY,
} GstRealtimeAuth;

#define GST_TYPE_REALTIME_OUTPUT_MODALITY \
    (gst_realtime_output_modality_get_type ())
GType gst_realtime_output_modality_get_type (void);

#define GST_TYPE_REALTIME_TURN_DETECTION \
    (gst_realtime_turn_detection_get_type ())
GType gst_realtime_turn_detection_get_type (void);

#define GST_TYPE_REALTIME_EAGERNESS \
    (gst_realtime_eagerness_get_type ())
GType gst_realtime_eagerness_get_type (void);

#define GST_TYPE_REALTIME_NOISE_REDUCTION \
    (gst_realtime_noise_reduction_get_type ())
GType gst_realtime_noise_reduction_get_type (void);

#define GST_TYPE_REALTIME_TRANSCRIPTION_DELAY \
    (gst_realtime_transcription_delay_get_type ())
GType gst_realtime_transcription_delay_get_type (void);

#define GST_TYPE_REALTIME_SESSION_TYPE \
    (gst_realtime_session_type_get_type ())
GType gst_realtime_session_type_get_type (void);

#define GST_TYPE_REALTIME_TEXT_OUTPUT \
    (gst_realtime_text_output_get_type ())
GType gst_realtime_text_output_get_type (void);

#define GST_TYPE_REALTIME_PROTOCOL_VERSION \
    (gst_realtime_protocol_version_get_type ())
GType gst_realtime_protocol_version_get_type (void);

#define GST_TYPE_REALTIME_AUTH \
    (gst_realtime_auth_get_type ())
GType gst_realtime_auth_get_type (void);

G_END_DECLS

#endif /* __GST_REALTIME_ENUMS_H__ */
