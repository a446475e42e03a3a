/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The element's state, shared by its source files, which are layered
 * (each calls only those below it): notices (what the application is
 * told, after the lock), timing (the clock, the latency), outputs (the
 * source pads) and audio (reply audio), core (carrying out the session
 * core's actions), connection (reconnection, renewal, the audio backlog),
 * events (server events, on the session thread), then sink (the sink pad:
 * streaming, caps, EOS) and actions (the action signals), and at the top
 * gstrealtimeai.c (pads, properties, state changes). The protocol
 * decisions are the session core's (core/). */

#ifndef __GST_REALTIME_AI_PRIV_H__
#define __GST_REALTIME_AI_PRIV_H__

#include <gst/base/gstadapter.h>
#include <gst/base/gstflowcombiner.h>

#include "gstrealtimeai.h"
#include "gstrealtimebacklog.h"
#include "gstrealtimecore.h"
#include "gstrealtimeendpoint.h"
#include "gstrealtimelink.h"
#include "gstrealtimemessages.h"
#include "gstrealtimeoutput.h"
#include "gstrealtimeprotocol.h"
#include "gstrealtimeresponses.h"
#include "gstrealtimetransport.h"
#include "gstrealtimesettings.h"
#include "gstrealtimewarnlimit.h"

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (gst_realtime_ai_debug);
GST_DEBUG_CATEGORY_EXTERN (gst_realtime_core_debug);

/* The timeline counts input in samples at this rate, whatever the input
 * format: it is the unit of the server's audio_start_ms/audio_end_ms. */
#define GST_REALTIME_TIMELINE_RATE 24000

/* Where and how to connect: properties, under the object lock. */
typedef struct
{
  gchar *url;
  gchar *model;
  gchar *api_key;
  GstRealtimeProtocolVersion protocol;
  GstRealtimeAuth auth;
  GstStructure *extra_headers;
  guint connect_timeout;        /* s */
  gchar *tls_ca_file;
  gboolean tls_strict;
  gboolean allow_plain_key;
} GstRealtimeServerProps;

/* The streams' timing: properties, under the object lock. */
typedef struct
{
  guint chunk_duration;         /* ms */
  guint drain_timeout;          /* ms */
  gint latency_ms;              /* -1: stamp text on arrival */
  guint lateness_ms;
  guint max_buffered_time;      /* ms */
} GstRealtimeTimingProps;

/* The input on its way into chunks: streaming thread only. */
typedef struct
{
  GstAdapter *adapter;
  gsize chunk_bytes;
  gboolean live;
  GstClockTime next_chunk_pts;  /* for input without timestamps */
  guint64 chunks_sent;
} GstRealtimeInput;

/* The formats of the input and of the reply audio, from the caps. */
typedef struct
{
  gboolean have_caps;           /* the input's caps came */
  guint in_rate;                /* sample rate and bytes per sample */
  guint in_bps;
  guint out_rate;
  guint out_bps;
} GstRealtimeFormats;

struct _GstRealtimeAI
{
  GstElement parent;

  GstPad *sinkpad;
  GstRealtimeOutput *audio_out;
  GstRealtimeOutput *text_out;

  /* properties, under the object lock */
  GstRealtimeServerProps server;
  GstRealtimeReconnectPolicy reconnection;
  GstRealtimeTimingProps timing;
  GstRealtimeSettings settings;

  GstRealtimeInput input;

  /* shared with the session thread and the pad tasks, under lock */
  GMutex lock;
  GCond cond;                   /* through gst_realtime_ai_wait/wake_locked */
  guint cond_waiters;
  GstRealtimeTransport *transport;
  GstRealtimeSettings active;   /* the settings the session started with */
  GstRealtimeSessionConfig config;
  GstRealtimeFormats formats;
  GstSegment segment;           /* the input's, shared by the outputs */
  GstClockTime max_observed_delay;
  GstFlowCombiner *flow_combiner;
  GstFlowReturn flow;
  gboolean failed;
  gboolean flushing;

  /* the protocol decisions (core/): the session, the connection's life,
   * the audio a lost connection must send again */
  GstRealtimeCore *core;
  GstRealtimeLink *link;
  GstRealtimeBacklog *backlog;

  /* notices gathered under lock, posted and emitted after it */
  GQueue notices;
  gboolean interrupt_due;       /* barge-in: flush reply audio after it */
  gboolean dispatching;         /* a server event's notices are going out */
};

/* The session is a conversation, not transcription only. */
static inline gboolean
gst_realtime_ai_is_conversation (GstRealtimeAI * self)
{
  return self->config.session_type == GST_REALTIME_SESSION_TYPE_REALTIME;
}

/* Waits on cond until @deadline (monotonic µs; -1: none); FALSE once it
 * passed. */
static inline gboolean
gst_realtime_ai_wait_locked (GstRealtimeAI * self, gint64 deadline)
{
  gboolean woken = TRUE;

  self->cond_waiters++;
  if (deadline < 0)
    g_cond_wait (&self->cond, &self->lock);
  else
    woken = g_cond_wait_until (&self->cond, &self->lock, deadline);
  self->cond_waiters--;
  return woken;
}

/* Every server event wakes the waiters, and a broadcast is a futex call
 * even when nobody waits: most of the time nobody does. */
static inline void
gst_realtime_ai_wake_locked (GstRealtimeAI * self)
{
  if (self->cond_waiters > 0)
    g_cond_broadcast (&self->cond);
}

/* Each file below calls only the files listed before it. */

/* gstrealtimeainotices.c */
void gst_realtime_ai_install_notification_signals (GstRealtimeAIClass *
    klass);
void gst_realtime_ai_function_call_locked (GstRealtimeAI * self,
    const GstRealtimeServerEvent * event);
void gst_realtime_ai_post_locked (GstRealtimeAI * self,
    GstStructure * structure);
void gst_realtime_ai_notify_locked (GstRealtimeAI * self,
    const gchar * property);
void gst_realtime_ai_progress_locked (GstRealtimeAI * self,
    GstProgressType type, const gchar * text);
void gst_realtime_ai_server_event_locked (GstRealtimeAI * self,
    const gchar * type, const gchar * json, gsize json_size);
void gst_realtime_ai_flush_notices (GstRealtimeAI * self);
void gst_realtime_ai_clear_notices (GstRealtimeAI * self);

/* gstrealtimeaitiming.c */
gboolean gst_realtime_ai_src_query (GstPad * pad, GstObject * parent,
    GstQuery * query);
GstClockTime gst_realtime_ai_now_locked (GstRealtimeAI * self);
GstClockTime gst_realtime_ai_text_time_locked (GstRealtimeAI * self,
    GstClockTime pts);
GstClockTime gst_realtime_ai_live_gap_position_locked (GstRealtimeAI * self,
    GstClockTime input_end);

/* gstrealtimeaioutputs.c */
GstRealtimeOutput *gst_realtime_ai_add_output (GstRealtimeAI * self,
    GstStaticPadTemplate * template);
void gst_realtime_ai_register_text_meta (void);
GstClockTime gst_realtime_ai_push_text (GstRealtimeTextRole role,
    const gchar * text, const GstRealtimeSegment * segment,
    const gchar * item_id, const gchar * response_id, GstClockTime pts,
    gpointer user_data);
void gst_realtime_ai_interrupt_audio (GstRealtimeAI * self);
void gst_realtime_ai_advance_outputs_locked (GstRealtimeAI * self,
    GstClockTime position);

/* gstrealtimeaiaudio.c */
void gst_realtime_ai_reply_audio_locked (GstRealtimeAI * self,
    GstRealtimeReply * reply, GstRealtimeServerEvent * event);
void gst_realtime_ai_reply_audio_done_locked (GstRealtimeAI * self,
    GstRealtimeReply * reply, const gchar * item_id);
void gst_realtime_ai_reply_audio_finish_locked (GstRealtimeAI * self,
    GstRealtimeReply * reply);

/* gstrealtimeaicore.c */
void gst_realtime_ai_queue_control_locked (GstRealtimeAI * self,
    gchar * event);
void gst_realtime_ai_run_core_locked (GstRealtimeAI * self,
    const GstRealtimeServerEvent * event);
void gst_realtime_ai_deliver (GstRealtimeAI * self);
void gst_realtime_ai_report_held_back_warnings_locked (GstRealtimeAI * self);
void gst_realtime_ai_log_core (GLogLevelFlags level, const gchar * file,
    const gchar * function, gint line, const gchar * format, va_list args,
    gpointer user_data);

/* gstrealtimeaiconnection.c */
void gst_realtime_ai_connection_reset_locked (GstRealtimeAI * self);
void gst_realtime_ai_connection_start_locked (GstRealtimeAI * self);
guint64 gst_realtime_ai_stamp_chunk_locked (GstRealtimeAI * self,
    GstBuffer * chunk, guint64 samples);
gchar *gst_realtime_ai_build_chunk_event (GstBuffer * chunk,
    const gchar * event_id);
void gst_realtime_ai_keep_sent_chunk_locked (GstRealtimeAI * self,
    GstBuffer * chunk, guint64 samples, guint64 end_ms);
void gst_realtime_ai_hold_chunk_locked (GstRealtimeAI * self,
    GstBuffer * chunk, guint64 samples);
void gst_realtime_ai_settle_audio_locked (GstRealtimeAI * self);
void gst_realtime_ai_connection_ready_locked (GstRealtimeAI * self);
GstFlowReturn gst_realtime_ai_wait_connected_locked (GstRealtimeAI * self,
    gint64 deadline);
GstFlowReturn gst_realtime_ai_wait_room_locked (GstRealtimeAI * self);
void gst_realtime_ai_note_expiry_locked (GstRealtimeAI * self,
    gint64 expires_at);
void gst_realtime_ai_consider_renewal_locked (GstRealtimeAI * self);
void gst_realtime_ai_on_transport_closed (GstRealtimeTransport * transport,
    const GError * error, guint close_code, gpointer user_data);

/* gstrealtimeaievents.c */
void gst_realtime_ai_on_transport_event (GstRealtimeTransport * transport,
    GstRealtimeServerEvent * event, const gchar * json, gsize json_size,
    gpointer user_data);
void gst_realtime_ai_on_transport_malformed (GstRealtimeTransport * transport,
    const GError * error, gpointer user_data);
void gst_realtime_ai_send_session_update_locked (GstRealtimeAI * self);
void gst_realtime_ai_update_session_locked (GstRealtimeAI * self);

/* gstrealtimeaisink.c */
GstFlowReturn gst_realtime_ai_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buffer);
gboolean gst_realtime_ai_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event);
void gst_realtime_ai_guess_formats (GstRealtimeAI * self,
    GstRealtimeAudioFormat * in_format, GstRealtimeAudioFormat * out_format);

/* gstrealtimeaiactions.c */
void gst_realtime_ai_install_action_signals (GstRealtimeAIClass * klass);

/* gstrealtimeai.c: the pads, the properties and the state changes. */

G_END_DECLS

#endif /* __GST_REALTIME_AI_PRIV_H__ */
