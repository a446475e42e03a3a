/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The translation core: the decisions of a translation session
 * (/v1/realtime/translations, PROTOCOL.md section 10), with no thread,
 * lock, socket or pad. Not thread-safe: call it under the element's lock.
 *
 * Time. The server knows only model time: the audio appended on this
 * connection, in ms; every output says, in elapsed_ms, which 200 ms frame
 * of it the output derives from. So the core appends exactly 200 ms
 * frames, fills every hole in the input with silence (a gap, a DISCONT, a
 * live input that stalls), and keeps a record of which input time each
 * appended sample came from. Outputs are placed back on the input's
 * timeline through that record, gaps included. Input times are the
 * element's (running time or PTS, one base for input, now and output).
 *
 * How an element drives it:
 *
 *   caps (S16LE 24 kHz mono only)      gst_realtime_translation_new (config)
 *   latency known (live or not)        gst_realtime_translation_set_live ()
 *   session.created                    gst_realtime_translation_handle_event ()
 *   any other server event             gst_realtime_translation_handle_event ()
 *   connection lost                    gst_realtime_translation_connection_lost ()
 *   a buffer on the sink pad           gst_realtime_translation_push_audio ()
 *   a GAP event                        gst_realtime_translation_push_gap ()
 *   live: now and then (every 100 ms)  gst_realtime_translation_tick (now)
 *   target-language changed            gst_realtime_translation_set_language ()
 *   EOS                                gst_realtime_translation_eos ()
 *   FLUSH_STOP                         gst_realtime_translation_flush ()
 *
 * and after each call, polls the actions and carries them out in order:
 *
 *   SEND     queue @event on the transport (@audio: an append, may take
 *            the audio path; the order of all SENDs must be kept)
 *   AUDIO    translated audio for `src` at @start for @duration:
 *            @data/@size PCM16 24 kHz mono, or silence (@data NULL) of
 *            @n_samples (zeros or a GAP event); @discont at a new track.
 *            Consecutive AUDIO actions are contiguous and never overlap.
 *   TEXT     @text of @role (ASSISTANT: the translation, USER: the source
 *            transcript) for `text_src`, over [@start, @end] of input time
 *   DRAINED  the server closed the session after EOS: push EOS. The
 *            element bounds the wait for it (drain-timeout).
 *   WARN     @message (and the server's @code): a warning
 *   FAIL     @message: the session cannot go on */

#ifndef __GST_REALTIME_TRANSLATION_H__
#define __GST_REALTIME_TRANSLATION_H__

#include "gstrealtimeprotocol.h"
#include "gstrealtimeturns.h"

G_BEGIN_DECLS

#define GST_REALTIME_TRANSLATION_RATE 24000
/* the engine's frame: every append carries exactly this much audio */
#define GST_REALTIME_TRANSLATION_FRAME_MS 200
#define GST_REALTIME_TRANSLATION_FRAME_SAMPLES \
  (GST_REALTIME_TRANSLATION_RATE / 1000 * GST_REALTIME_TRANSLATION_FRAME_MS)
#define GST_REALTIME_TRANSLATION_FRAME_BYTES \
  (GST_REALTIME_TRANSLATION_FRAME_SAMPLES * 2)

typedef struct _GstRealtimeTranslation GstRealtimeTranslation;

typedef enum
{
  GST_REALTIME_TRANSLATION_ACTION_SEND,
  GST_REALTIME_TRANSLATION_ACTION_AUDIO,
  GST_REALTIME_TRANSLATION_ACTION_TEXT,
  GST_REALTIME_TRANSLATION_ACTION_DRAINED,
  GST_REALTIME_TRANSLATION_ACTION_WARN,
  GST_REALTIME_TRANSLATION_ACTION_FAIL,
} GstRealtimeTranslationActionType;

typedef struct
{
  GstRealtimeTranslationActionType type;
  gchar *event;                 /* SEND: a client event, JSON */
  gboolean audio;               /* SEND: an append */
  guint8 *data;                 /* AUDIO: PCM16, or NULL for silence */
  gsize size;
  guint64 n_samples;            /* AUDIO */
  gboolean discont;             /* AUDIO: the first of a track */
  GstRealtimeTextRole role;     /* TEXT */
  gchar *text;                  /* TEXT */
  GstRealtimeTime start;        /* AUDIO, TEXT: input time */
  GstRealtimeTime duration;     /* AUDIO */
  GstRealtimeTime end;          /* AUDIO, TEXT */
  gchar *message;               /* WARN, FAIL */
  gchar *code;                  /* WARN, FAIL: the server's, or NULL */
} GstRealtimeTranslationAction;

void gst_realtime_translation_action_free (GstRealtimeTranslationAction *
    action);

/* How the input comes. Buffers whose PTS is off by less than the jitter
 * tolerance (40 ms, as audiobasesink's alignment threshold) continue the
 * previous one; DISCONT, or more, starts at their PTS. */
typedef enum
{
  GST_REALTIME_TRANSLATION_INPUT_NONE = 0,
  GST_REALTIME_TRANSLATION_INPUT_DISCONT = 1 << 0,
  /* GST_BUFFER_FLAG_GAP: the buffer is silence, whatever it holds */
  GST_REALTIME_TRANSLATION_INPUT_GAP = 1 << 1,
} GstRealtimeTranslationInputFlags;

/* @config's strings are copied. */
GstRealtimeTranslation *gst_realtime_translation_new (const
    GstRealtimeTranslationConfig * config);
void gst_realtime_translation_free (GstRealtimeTranslation * translation);

/* Live input: the input that has not come @stall after its time is filled
 * with silence (the model's time must go on), and the translated audio is
 * filled with silence up to @latency before now, so it plays on. Not
 * live (the default): neither; the track is complete at the drain. */
void gst_realtime_translation_set_live (GstRealtimeTranslation *
    translation, gboolean live, GstRealtimeTime stall,
    GstRealtimeTime latency);
/* The longest hole filled with silence (default 10 s: a longer one is
 * filled that much, then the input goes on at its own time), and the
 * audio kept to be sent again on a new connection (default 10 s; past it
 * the oldest goes, with a warning for audio no connection had). */
void gst_realtime_translation_set_limits (GstRealtimeTranslation *
    translation, GstRealtimeTime max_fill, GstRealtimeTime max_backlog);

/* The target language, sent at once when the session runs. */
void gst_realtime_translation_set_language (GstRealtimeTranslation *
    translation, const gchar * language);

/* A server event of a translation session. session.created starts a
 * connection: the configuration, then the audio the server never
 * answered (after the last elapsed_ms it answered on the previous one),
 * then what waited. */
void gst_realtime_translation_handle_event (GstRealtimeTranslation *
    translation, const GstRealtimeServerEvent * event);
/* The connection is gone: audio waits for the next one. */
void gst_realtime_translation_connection_lost (GstRealtimeTranslation *
    translation);

/* @size bytes of PCM16 24 kHz mono at @pts (NONE: right after the last);
 * an odd last byte is dropped. */
void gst_realtime_translation_push_audio (GstRealtimeTranslation *
    translation, const guint8 * data, gsize size, GstRealtimeTime pts,
    GstRealtimeTranslationInputFlags flags);
/* A GAP event: silence from @pts for @duration. */
void gst_realtime_translation_push_gap (GstRealtimeTranslation *
    translation, GstRealtimeTime pts, GstRealtimeTime duration);
/* Live: the time is @now (input time). */
void gst_realtime_translation_tick (GstRealtimeTranslation * translation,
    GstRealtimeTime now);

/* EOS: the last partial frame is completed with silence and sent, then
 * session.close; DRAINED follows session.closed. */
void gst_realtime_translation_eos (GstRealtimeTranslation * translation);
/* A flush: the audio not sent and the outputs of audio before it are
 * dropped; the input starts again at its next PTS, and the translated
 * audio is a new track. The session goes on. */
void gst_realtime_translation_flush (GstRealtimeTranslation * translation);

/* The next action, or NULL; free it. */
GstRealtimeTranslationAction *gst_realtime_translation_poll_action
    (GstRealtimeTranslation * translation);

G_END_DECLS

#endif /* __GST_REALTIME_TRANSLATION_H__ */
