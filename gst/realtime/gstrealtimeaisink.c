/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The element's sink pad: audio cut into append events for the session,
 * the input's caps and segment handed on to the source pads, file input
 * held and paced turn by turn, flushing, and the EOS drain that waits for
 * the last replies. Streaming thread. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstrealtimeaipriv.h"
#include "gstrealtimei18n.h"

#define GST_CAT_DEFAULT gst_realtime_ai_debug

/* How long chain() waits for the network before failing. */
#define SEND_TIMEOUT_US (30 * G_USEC_PER_SEC)
/* How long EOS waits for the server to confirm it has seen all audio. */
#define BARRIER_TIMEOUT_US (10 * G_USEC_PER_SEC)

static GstFlowReturn
check_flow_locked (GstRealtimeAI * self)
{
  if (self->flushing)
    return GST_FLOW_FLUSHING;
  if (self->failed)
    return GST_FLOW_ERROR;
  return self->flow;
}

/* The next @size bytes of the adapter, with the time of their first. */
static GstBuffer *
take_chunk (GstRealtimeAI * self, gsize size, guint64 * samples)
{
  guint64 distance;
  GstClockTime pts = gst_adapter_prev_pts (self->input.adapter, &distance);
  GstBuffer *chunk = gst_adapter_take_buffer (self->input.adapter, size);

  chunk = gst_buffer_make_writable (chunk);
  if (GST_CLOCK_TIME_IS_VALID (pts))
    pts +=
        gst_util_uint64_scale_int (distance / self->formats.in_bps, GST_SECOND,
        self->formats.in_rate);
  else
    /* input without timestamps follows on from what came before */
    pts = self->input.next_chunk_pts;
  /* the timeline counts 24 kHz samples; G.711 rates divide it */
  *samples =
      size / self->formats.in_bps * (GST_REALTIME_TIMELINE_RATE /
      self->formats.in_rate);
  GST_BUFFER_PTS (chunk) = pts;
  self->input.next_chunk_pts = pts + gst_util_uint64_scale_int (*samples,
      GST_SECOND, GST_REALTIME_TIMELINE_RATE);
  self->input.chunks_sent++;
  return chunk;
}

/* Queues @chunk for the connection of @epoch; if that connection has
 * ended meanwhile, the backlog sends it on the next. */
static GstFlowReturn
queue_chunk (GstRealtimeAI * self, GstBuffer * chunk, gchar * event_id,
    guint epoch)
{
  GError *error = NULL;
  GstFlowReturn ret;

  if (gst_realtime_transport_queue_audio (self->transport,
          gst_realtime_ai_build_chunk_event (chunk, event_id), epoch,
          SEND_TIMEOUT_US, &error))
    return GST_FLOW_OK;
  if (error) {
    GST_ELEMENT_ERROR (self, RESOURCE, WRITE,
        (_("The network is too slow to send the audio in real time.")),
        ("%s", error->message));
    g_error_free (error);
    return GST_FLOW_ERROR;
  }
  g_mutex_lock (&self->lock);
  ret = check_flow_locked (self);
  g_mutex_unlock (&self->lock);
  return ret;
}

/* Audio goes to the server while connected. Otherwise live input's waits
 * in the backlog (the pipeline cannot wait) and a file waits itself. */
static GstFlowReturn
send_audio (GstRealtimeAI * self, gsize size)
{
  guint64 samples, end_ms;
  GstBuffer *chunk = take_chunk (self, size, &samples);
  gchar *event_id = NULL;
  GstFlowReturn ret;
  guint epoch = 0;

  g_mutex_lock (&self->lock);
  ret = check_flow_locked (self);
  if (ret == GST_FLOW_OK && !self->input.live)
    ret = gst_realtime_ai_wait_room_locked (self);
  if (ret == GST_FLOW_OK && !gst_realtime_link_is_up (self->link)) {
    gst_realtime_ai_hold_chunk_locked (self, chunk, samples);
  } else if (ret == GST_FLOW_OK) {
    epoch = gst_realtime_link_get_epoch (self->link);
    end_ms = gst_realtime_ai_stamp_chunk_locked (self, chunk, samples);
    gst_realtime_ai_keep_sent_chunk_locked (self, chunk, samples, end_ms);
    event_id = gst_realtime_core_next_event_id (self->core);
  }
  g_mutex_unlock (&self->lock);

  if (event_id)
    ret = queue_chunk (self, chunk, event_id, epoch);
  g_free (event_id);
  gst_buffer_unref (chunk);
  return ret;
}

static GstFlowReturn
send_chunks (GstRealtimeAI * self, gsize min_size)
{
  GstFlowReturn ret = GST_FLOW_OK;
  gsize available;

  while (ret == GST_FLOW_OK) {
    available = gst_adapter_available (self->input.adapter);
    available -= available % self->formats.in_bps;
    if (available == 0 || available < min_size)
      break;
    ret = send_audio (self, MIN (available, self->input.chunk_bytes));
  }
  return ret;
}

static void
query_live (GstRealtimeAI * self)
{
  GstQuery *query = gst_query_new_latency ();

  self->input.live = FALSE;
  if (gst_pad_peer_query (self->sinkpad, query))
    gst_query_parse_latency (query, &self->input.live, NULL, NULL);
  gst_query_unref (query);
  gst_realtime_core_set_live (self->core, self->input.live);
  GST_DEBUG_OBJECT (self, "upstream is %slive", self->input.live ? "" : "not ");
}

/* When a wait for the server's replies gives up (drain-timeout). */
static gint64
drain_deadline (GstRealtimeAI * self, guint * timeout_ms)
{
  GST_OBJECT_LOCK (self);
  *timeout_ms = self->timing.drain_timeout;
  GST_OBJECT_UNLOCK (self);
  return g_get_monotonic_time () + *timeout_ms * G_TIME_SPAN_MILLISECOND;
}

/* File mode: a turn waiting for its reply holds the input. */
static gboolean
turn_pending_locked (GstRealtimeAI * self)
{
  return gst_realtime_core_turn_pending (self->core);
}

/* File mode: waits while a turn is answered, then paces the audio to real
 * time (with a little lead), so that the server never sees the next turn
 * end before the previous one is answered. */
static GstFlowReturn
wait_for_turn (GstRealtimeAI * self)
{
  GstFlowReturn ret;
  guint timeout_ms;
  gint64 deadline = drain_deadline (self, &timeout_ms);

  g_mutex_lock (&self->lock);
  while ((ret = check_flow_locked (self)) == GST_FLOW_OK
      && turn_pending_locked (self)) {
    gst_realtime_core_restart_pace (self->core);
    if (!gst_realtime_ai_wait_locked (self, deadline)) {
      /* a server that never answers must not hold the file forever */
      GST_ELEMENT_WARNING (self, RESOURCE, READ,
          (_("Stopped waiting for the server's replies after %u ms."),
              timeout_ms), ("a turn of the file got no reply"));
      gst_realtime_core_forget (self->core);
    }
  }
  deadline = gst_realtime_core_pace (self->core, g_get_monotonic_time ());
  while (ret == GST_FLOW_OK && !turn_pending_locked (self)
      && gst_realtime_ai_wait_locked (self, deadline))
    ret = check_flow_locked (self);
  if (ret == GST_FLOW_OK)
    ret = check_flow_locked (self);
  g_mutex_unlock (&self->lock);
  return ret;
}

/* Queued behind the audio, the barrier is answered after the events that
 * audio causes. Returns the session.updated count to wait past. */
static guint
queue_barrier_locked (GstRealtimeAI * self)
{
  guint updates = gst_realtime_core_queue_barrier (self->core);

  gst_realtime_ai_run_core_locked (self, NULL);
  return updates;
}

/* File mode at EOS: the server may still be about to end a turn in the
 * audio it has. An empty session.update queued behind the audio is
 * answered after the events that audio causes; then the reply to that turn
 * is awaited, so that the last audio and its commit come after it: the
 * model must not hear them while it answers. */
static gboolean
settle_last_turn (GstRealtimeAI * self)
{
  gint64 deadline = g_get_monotonic_time () + BARRIER_TIMEOUT_US;
  guint updates;

  g_mutex_lock (&self->lock);
  if (!self->transport || check_flow_locked (self) != GST_FLOW_OK) {
    g_mutex_unlock (&self->lock);
    return FALSE;
  }
  updates = queue_barrier_locked (self);
  while (check_flow_locked (self) == GST_FLOW_OK
      && !gst_realtime_core_barrier_heard (self->core, updates)
      && gst_realtime_ai_wait_locked (self, deadline));
  g_mutex_unlock (&self->lock);
  return wait_for_turn (self) == GST_FLOW_OK;
}

GstFlowReturn
gst_realtime_ai_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  GstRealtimeAI *self = GST_REALTIME_AI (parent);
  GstClockTime input_end;
  GstFlowReturn ret;

  g_mutex_lock (&self->lock);
  ret = check_flow_locked (self);
  if (ret == GST_FLOW_OK && !self->formats.have_caps)
    ret = GST_FLOW_NOT_NEGOTIATED;
  if (ret == GST_FLOW_OK && self->input.live
      && GST_BUFFER_PTS_IS_VALID (buffer)) {
    input_end =
        GST_BUFFER_PTS (buffer) +
        gst_util_uint64_scale_int (gst_buffer_get_size (buffer) /
        self->formats.in_bps, GST_SECOND, self->formats.in_rate);
    gst_realtime_ai_advance_outputs_locked (self,
        gst_realtime_ai_live_gap_position_locked (self, input_end));
  }
  if (ret == GST_FLOW_OK)
    gst_realtime_ai_consider_renewal_locked (self);
  g_mutex_unlock (&self->lock);

  if (ret != GST_FLOW_OK) {
    gst_buffer_unref (buffer);
    return ret;
  }

  gst_adapter_push (self->input.adapter, buffer);
  if (gst_realtime_core_in_file_mode (self->core)
      && (ret = wait_for_turn (self)) != GST_FLOW_OK)
    return ret;
  return send_chunks (self, self->input.chunk_bytes);
}

static gboolean
drained_locked (GstRealtimeAI * self)
{
  return !gst_realtime_core_replies_pending (self->core) && !self->dispatching
      && g_queue_is_empty (&self->notices);
}

/* Sends what the drain needs next, behind the audio the backlog sent on
 * connecting. Returns whether the rest is committed. */
static gboolean
drain_step_locked (GstRealtimeAI * self)
{
  gboolean committed = gst_realtime_core_drain_step (self->core,
      gst_realtime_transport_get_epoch (self->transport),
      gst_realtime_link_is_up (self->link),
      gst_realtime_link_get_epoch (self->link));

  gst_realtime_ai_run_core_locked (self, NULL);
  return committed;
}

/* Commits the speech the server has not ended, then waits for the replies
 * in flight. A connection lost meanwhile takes them along: the audio goes
 * again on the next one, and is committed there. */
static void
drain (GstRealtimeAI * self)
{
  gboolean settled = FALSE;
  gint64 deadline;
  guint timeout_ms;
  gboolean timed_out = FALSE;

  /* with nothing sent, no turn can be in progress; in file mode the last
   * turn's barrier stands for the drain's */
  if (gst_realtime_core_in_file_mode (self->core) && self->input.chunks_sent) {
    if (!settle_last_turn (self))
      return;
    settled = TRUE;
  }
  send_chunks (self, 0);
  deadline = drain_deadline (self, &timeout_ms);

  g_mutex_lock (&self->lock);
  gst_realtime_core_drain_start (self->core, settled,
      gst_realtime_link_get_epoch (self->link));
  while (self->transport && !self->failed && !self->flushing && !timed_out) {
    if (drain_step_locked (self) && drained_locked (self))
      break;
    /* not connected, and nothing to send or to wait for */
    if (!gst_realtime_link_is_up (self->link) && drained_locked (self)
        && gst_realtime_backlog_get_samples (self->backlog) == 0)
      break;
    timed_out = !gst_realtime_ai_wait_locked (self, deadline);
  }

  if (timed_out)
    GST_ELEMENT_WARNING (self, RESOURCE, READ,
        (_("Stopped waiting for the server's replies after %u ms."),
            timeout_ms), ("replies still pending at EOS"));
  g_mutex_unlock (&self->lock);
}

static void
queue_on_outputs (GstRealtimeAI * self, GstEvent * event)
{
  gst_realtime_output_queue_event (self->audio_out, gst_event_ref (event));
  gst_realtime_output_queue_event (self->text_out, event);
}

static void
handle_eos (GstRealtimeAI * self)
{
  GstClockTime end;

  drain (self);

  g_mutex_lock (&self->lock);
  gst_realtime_turns_flush (gst_realtime_core_get_turns (self->core));
  gst_realtime_core_forget (self->core);
  end = gst_realtime_timeline_get_end (gst_realtime_core_get_timeline
      (self->core));
  gst_realtime_ai_advance_outputs_locked (self, end);
  gst_realtime_ai_report_held_back_warnings_locked (self);
  g_mutex_unlock (&self->lock);

  queue_on_outputs (self, gst_event_new_eos ());
}

static void
handle_stream_start (GstRealtimeAI * self, GstEvent * event)
{
  guint group_id;
  gboolean have_group = gst_event_parse_group_id (event, &group_id);
  GstRealtimeOutput *outputs[] = { self->audio_out, self->text_out };
  const gchar *ids[] = { "audio", "text" };
  GstCaps *caps;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (outputs); i++) {
    GstPad *pad = gst_realtime_output_get_pad (outputs[i]);
    gchar *stream_id = gst_pad_create_stream_id (pad, GST_ELEMENT (self),
        ids[i]);
    GstEvent *start = gst_event_new_stream_start (stream_id);

    g_free (stream_id);
    if (have_group)
      gst_event_set_group_id (start, group_id);
    if (outputs[i] == self->text_out)
      gst_event_set_stream_flags (start, GST_STREAM_FLAG_SPARSE);
    gst_realtime_output_queue_event (outputs[i], start);
  }
  /* the audio caps follow the input's (see handle_caps) */
  caps = gst_pad_get_pad_template_caps (gst_realtime_output_get_pad
      (self->text_out));
  gst_realtime_output_queue_event (self->text_out, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  gst_event_unref (event);
}

static GstRealtimeAudioFormat
format_from_caps (GstCaps * caps, guint * rate, guint * bps)
{
  const gchar *name = gst_structure_get_name (gst_caps_get_structure (caps,
          0));

  *rate = 8000;
  *bps = 1;
  if (g_str_equal (name, "audio/x-mulaw"))
    return GST_REALTIME_AUDIO_FORMAT_PCMU;
  if (g_str_equal (name, "audio/x-alaw"))
    return GST_REALTIME_AUDIO_FORMAT_PCMA;
  *rate = GST_REALTIME_TIMELINE_RATE;
  *bps = 2;
  return GST_REALTIME_AUDIO_FORMAT_PCM16;
}

/* Reply audio in the input's format if downstream takes it, else in the
 * first format of the template it takes. */
static GstCaps *
choose_output_caps (GstRealtimeAI * self, GstCaps * input_caps)
{
  GstPad *srcpad = gst_realtime_output_get_pad (self->audio_out);
  GstCaps *allowed = gst_pad_peer_query_caps (srcpad, NULL);
  GstCaps *template = gst_pad_get_pad_template_caps (srcpad);
  GstCaps *caps;

  if (gst_caps_can_intersect (allowed, input_caps)) {
    caps = gst_caps_ref (input_caps);
  } else {
    caps = gst_caps_intersect_full (template, allowed,
        GST_CAPS_INTERSECT_FIRST);
    if (gst_caps_is_empty (caps))
      gst_caps_replace (&caps, template);
    caps = gst_caps_fixate (caps);
  }
  gst_caps_unref (allowed);
  gst_caps_unref (template);
  return caps;
}

/* With file input the element asks for each reply itself (the core's
 * file mode). */
static void
choose_file_mode_locked (GstRealtimeAI * self)
{
  if (gst_realtime_core_choose_file_mode (self->core, self->input.live,
          &self->config))
    GST_INFO_OBJECT (self, "non-live input: replies one turn at a time");
}

/* A live source sends its caps only in PLAYING, and the pipeline waits in
 * PAUSED for the connection: so the session starts with the formats that
 * upstream and downstream allow, and the caps update it if they differ. */
void
gst_realtime_ai_guess_formats (GstRealtimeAI * self,
    GstRealtimeAudioFormat * in_format, GstRealtimeAudioFormat * out_format)
{
  GstCaps *template = gst_pad_get_pad_template_caps (self->sinkpad);
  GstCaps *input_caps = gst_pad_peer_query_caps (self->sinkpad, template);
  GstCaps *output_caps;
  guint rate, bps;

  if (gst_caps_is_empty (input_caps))
    gst_caps_replace (&input_caps, template);
  input_caps = gst_caps_fixate (input_caps);
  output_caps = choose_output_caps (self, input_caps);
  *in_format = format_from_caps (input_caps, &rate, &bps);
  *out_format = format_from_caps (output_caps, &rate, &bps);
  GST_DEBUG_OBJECT (self, "until caps come: input %" GST_PTR_FORMAT
      ", output %" GST_PTR_FORMAT, input_caps, output_caps);
  gst_caps_unref (output_caps);
  gst_caps_unref (input_caps);
  gst_caps_unref (template);
}

static gboolean
handle_caps (GstRealtimeAI * self, GstEvent * event)
{
  GstCaps *input_caps, *output_caps;
  GstRealtimeAudioFormat in_format, out_format;
  guint chunk_duration;
  gboolean first;

  gst_event_parse_caps (event, &input_caps);
  output_caps = choose_output_caps (self, input_caps);
  GST_DEBUG_OBJECT (self, "input %" GST_PTR_FORMAT ", output %"
      GST_PTR_FORMAT, input_caps, output_caps);

  GST_OBJECT_LOCK (self);
  chunk_duration = self->timing.chunk_duration;
  GST_OBJECT_UNLOCK (self);
  query_live (self);
  /* the audio of the old format goes out in it, before the update */
  if (self->formats.have_caps)
    send_chunks (self, 0);

  g_mutex_lock (&self->lock);
  first = !self->formats.have_caps;
  if (first)
    choose_file_mode_locked (self);
  in_format =
      format_from_caps (input_caps, &self->formats.in_rate,
      &self->formats.in_bps);
  out_format =
      format_from_caps (output_caps, &self->formats.out_rate,
      &self->formats.out_bps);
  self->input.chunk_bytes =
      self->formats.in_rate * self->formats.in_bps * chunk_duration / 1000;
  self->formats.have_caps = TRUE;
  /* the session may have started with other formats (see guess_formats),
   * and file mode turns the server's replies off */
  if ((first && gst_realtime_core_in_file_mode (self->core))
      || in_format != self->config.input_format
      || out_format != self->config.output_format) {
    self->config.input_format = in_format;
    self->config.output_format = out_format;
    gst_realtime_ai_update_session_locked (self);
  }
  g_mutex_unlock (&self->lock);

  gst_realtime_output_queue_event (self->audio_out,
      gst_event_new_caps (output_caps));
  gst_caps_unref (output_caps);
  gst_event_unref (event);
  return TRUE;
}

static gboolean
handle_segment (GstRealtimeAI * self, GstEvent * event)
{
  const GstSegment *segment;

  gst_event_parse_segment (event, &segment);
  if (segment->format != GST_FORMAT_TIME) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        (_("The input must have timestamps.")),
        ("segment in %s format", gst_format_get_name (segment->format)));
    gst_event_unref (event);
    return FALSE;
  }
  /* replies are stamped in input time, so the outputs share its segment */
  g_mutex_lock (&self->lock);
  gst_segment_copy_into (segment, &self->segment);
  self->input.next_chunk_pts = segment->start;
  g_mutex_unlock (&self->lock);
  queue_on_outputs (self, event);
  query_live (self);
  return TRUE;
}

/* Flush events go downstream at once, not through the queues they empty. */
static void
push_on_outputs (GstRealtimeAI * self, GstEvent * event)
{
  gst_pad_push_event (gst_realtime_output_get_pad (self->audio_out),
      gst_event_ref (event));
  gst_pad_push_event (gst_realtime_output_get_pad (self->text_out), event);
}

static void
handle_flush_start (GstRealtimeAI * self, GstEvent * event)
{
  g_mutex_lock (&self->lock);
  self->flushing = TRUE;
  gst_realtime_ai_wake_locked (self);
  g_mutex_unlock (&self->lock);
  if (self->transport)
    gst_realtime_transport_set_flushing (self->transport, TRUE);

  push_on_outputs (self, event);
  gst_realtime_output_set_flushing (self->audio_out, TRUE);
  gst_realtime_output_set_flushing (self->text_out, TRUE);
}

static void
handle_flush_stop (GstRealtimeAI * self, GstEvent * event)
{
  gst_adapter_clear (self->input.adapter);

  g_mutex_lock (&self->lock);
  self->flushing = FALSE;
  self->flow = GST_FLOW_OK;
  gst_flow_combiner_reset (self->flow_combiner);
  gst_realtime_core_forget (self->core);
  /* nothing of the old position is to be sent again */
  gst_realtime_backlog_clear (self->backlog);
  if (self->transport) {
    gst_realtime_transport_set_flushing (self->transport, FALSE);
    /* what the server holds belongs to the old position */
    gst_realtime_core_discard_input (self->core);
    gst_realtime_ai_run_core_locked (self, NULL);
  }
  g_mutex_unlock (&self->lock);

  push_on_outputs (self, event);
  gst_realtime_output_set_flushing (self->audio_out, FALSE);
  gst_realtime_output_set_flushing (self->text_out, FALSE);
}

gboolean
gst_realtime_ai_sink_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstRealtimeAI *self = GST_REALTIME_AI (parent);

  GST_LOG_OBJECT (self, "sink event %" GST_PTR_FORMAT, event);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_STREAM_START:
      handle_stream_start (self, event);
      return TRUE;
    case GST_EVENT_CAPS:
      return handle_caps (self, event);
    case GST_EVENT_SEGMENT:
      return handle_segment (self, event);
    case GST_EVENT_EOS:
      handle_eos (self);
      gst_event_unref (event);
      return TRUE;
    case GST_EVENT_FLUSH_START:
      handle_flush_start (self, event);
      return TRUE;
    case GST_EVENT_FLUSH_STOP:
      handle_flush_stop (self, event);
      return TRUE;
    default:
      if (GST_EVENT_IS_SERIALIZED (event)) {
        /* tags and the like describe the input, not the replies */
        gst_event_unref (event);
        return TRUE;
      }
      return gst_pad_event_default (pad, parent, event);
  }
}
