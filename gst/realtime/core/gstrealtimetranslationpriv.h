/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What the translation core's files share: gstrealtimetranslation.c (life,
 * actions, server events, EOS, flush), gstrealtimetranslationinput.c (the
 * 200 ms frames, the silence in holes, the record of model time, what a
 * new connection is sent again), gstrealtimetranslationoutput.c (the
 * translated audio's track, the text's spans). Not installed. */

#ifndef __GST_REALTIME_TRANSLATION_PRIV_H__
#define __GST_REALTIME_TRANSLATION_PRIV_H__

#include "gstrealtimebacklog.h"
#include "gstrealtimetimeline.h"
#include "gstrealtimetranslation.h"

G_BEGIN_DECLS

/* Model frames [model, next run's model) of this connection are the
 * input's frames [frame, ...), in order. A flush or a new connection
 * starts a run. */
typedef struct
{
  guint64 model;
  guint64 frame;
} GstRealtimeTranslationRun;

/* A 200 ms frame of the input, the backlog's chunk */
typedef struct
{
  guint64 index;                /* the input's frames before it */
  guint8 pcm[GST_REALTIME_TRANSLATION_FRAME_BYTES];
} GstRealtimeTranslationFrame;

struct _GstRealtimeTranslation
{
  GstRealtimeTranslationConfig config;  /* its strings are ours */
  gboolean live;
  GstRealtimeTime stall;
  GstRealtimeTime latency;
  GstRealtimeTime max_fill;
  GQueue actions;
  guint64 last_event_id;

  /* the connection */
  gboolean connected;
  gchar *update_id;             /* the last full session.update */
  guint64 model_frames;         /* frames sent on this connection */
  GArray *runs;                 /* GstRealtimeTranslationRun */
  gint64 discard_before_ms;     /* outputs of audio before a flush */
  gint64 last_elapsed_ms;       /* the latest output's, -1 */

  /* the input: every sample appended, silence included, and its time */
  GstRealtimeTimeline *timeline;
  gboolean resync;              /* the next input starts at its PTS */
  GstRealtimeTime input_end;    /* of the real input, at EOS */
  GstRealtimeTranslationFrame *frame;   /* being filled */
  gsize frame_fill;             /* bytes */
  guint64 n_frames;             /* frames made so far */
  GstRealtimeBacklog *backlog;  /* sent and not answered, or waiting */
  gboolean eos;
  gboolean close_sent;
  gboolean drained;

  /* the translated audio's track */
  GstRealtimeTime track_origin; /* NONE: none yet */
  guint64 track_samples;
  gboolean track_discont;
};

/* gstrealtimetranslation.c */
G_GNUC_INTERNAL
void gst_realtime_translation_queue (GstRealtimeTranslation * translation,
    GstRealtimeTranslationAction * action);
G_GNUC_INTERNAL
GstRealtimeTranslationAction *gst_realtime_translation_action_new
    (GstRealtimeTranslationActionType type);
G_GNUC_INTERNAL
gchar *gst_realtime_translation_next_event_id (GstRealtimeTranslation *
    translation);
G_GNUC_INTERNAL
void gst_realtime_translation_send (GstRealtimeTranslation * translation,
    gchar * event, gboolean audio);
G_GNUC_INTERNAL
void gst_realtime_translation_warn (GstRealtimeTranslation * translation,
    gboolean fatal, const gchar * code, const gchar * format, ...)
    G_GNUC_PRINTF (4, 5);

/* gstrealtimetranslationinput.c */
G_GNUC_INTERNAL
void gst_realtime_translation_input_init (GstRealtimeTranslation *
    translation);
G_GNUC_INTERNAL
void gst_realtime_translation_input_clear (GstRealtimeTranslation *
    translation);
G_GNUC_INTERNAL
void gst_realtime_translation_set_backlog_limit (GstRealtimeTranslation *
    translation, GstRealtimeTime max_backlog);
/* A new connection: its model time starts at 0 */
G_GNUC_INTERNAL
void gst_realtime_translation_start_model (GstRealtimeTranslation *
    translation);
/* Sends what waits for a connection, oldest first */
G_GNUC_INTERNAL
void gst_realtime_translation_send_waiting (GstRealtimeTranslation *
    translation);
G_GNUC_INTERNAL
gboolean gst_realtime_translation_has_waiting (GstRealtimeTranslation *
    translation);
/* The server answered the frame at @elapsed_ms of model time */
G_GNUC_INTERNAL
void gst_realtime_translation_answered (GstRealtimeTranslation *
    translation, gint64 elapsed_ms);
/* The input time of @elapsed_ms of this connection's model time */
G_GNUC_INTERNAL
GstRealtimeTime gst_realtime_translation_input_time (GstRealtimeTranslation *
    translation, gint64 elapsed_ms);
/* Completes the frame being filled with silence and sends it */
G_GNUC_INTERNAL
void gst_realtime_translation_finish_frame (GstRealtimeTranslation *
    translation);
/* Forgets the frame being filled and every frame not answered */
G_GNUC_INTERNAL
void gst_realtime_translation_drop_input (GstRealtimeTranslation *
    translation);
G_GNUC_INTERNAL
void gst_realtime_translation_fill_stall (GstRealtimeTranslation *
    translation, GstRealtimeTime now);

/* gstrealtimetranslationoutput.c */
G_GNUC_INTERNAL
void gst_realtime_translation_track_reset (GstRealtimeTranslation *
    translation);
/* The input's first sample of a track is at @time */
G_GNUC_INTERNAL
void gst_realtime_translation_track_begin (GstRealtimeTranslation *
    translation, GstRealtimeTime time);
/* Silence on the track up to @time */
G_GNUC_INTERNAL
void gst_realtime_translation_track_fill (GstRealtimeTranslation *
    translation, GstRealtimeTime time);
G_GNUC_INTERNAL
void gst_realtime_translation_on_audio (GstRealtimeTranslation *
    translation, const GstRealtimeServerEvent * event);
G_GNUC_INTERNAL
void gst_realtime_translation_on_text (GstRealtimeTranslation *
    translation, const GstRealtimeServerEvent * event);

G_END_DECLS

#endif /* __GST_REALTIME_TRANSLATION_PRIV_H__ */
