/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* realtime-bench: what realtimeai costs, measured against the bundled test
 * server on 127.0.0.1, over ws:// and wss://.
 *
 *   GST_PLUGIN_PATH=build/gst/realtime build/benchmarks/realtime-bench
 *
 * Each session is appsrc (live) ! realtimeai ! appsink, in a conversation
 * with spoken replies and no transcription; the server echoes each user
 * turn as the reply audio. The input is speech-like: tone bursts of 0.6 to
 * 2 s, each followed by 0.8 s of silence so the server's VAD ends the turn.
 *
 * - CPU: one session pushes --minutes of audio as fast as the element
 *   takes it. The appsrc is live because the element paces non-live
 *   conversation input to real time; live input it sends at once.
 *   getrusage (RUSAGE_SELF) covers the whole process, the in-process
 *   server included, so its thread's share is shown too.
 * - Latency: one session at real time for --latency-seconds, the server
 *   replying at the pace of speech; the server's frame callback stamps
 *   each frame on the wire.
 * - Concurrency (ws only): K sessions at real time, one pusher thread for
 *   all, K doubling up to --sessions-max while they keep up.
 *
 * The one table goes to stdout, progress to stderr. */

#include <gst/gst.h>
#include <gst/app/gstappsrc.h>
#include <gst/app/gstappsink.h>

#include <malloc.h>
#include <math.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "realtimetestserver.h"

#define RATE 24000
#define BUFFER_SAMPLES (RATE / 50)      /* 20 ms, as audio sources push */
#define BUFFER_BYTES (BUFFER_SAMPLES * 2)
#define BUFFER_US (20 * G_TIME_SPAN_MILLISECOND)
/* the element's default chunk-duration, 50 ms, in bytes */
#define CHUNK_BYTES (RATE / 20 * 2)
#define KEY "sk-bench-0123456789abcdef"
/* latency statistics skip the audio pushed while the session settles */
#define WARMUP_BUFFERS 25
/* how long replies and appends may trail the end of a concurrency step */
#define GRACE_MS 500

typedef struct
{
  gint minutes;
  gint latency_seconds;
  gint sessions_max;
  gint step_seconds;
  gint max_lag_ms;
  gboolean no_wss;
} Options;

/* One transport to measure: ws, or wss with its generated certificate. */
typedef struct
{
  const gchar *name;
  GTlsCertificate *certificate; /* NULL: ws */
  gchar *ca_file;               /* the certificate, for tls-ca-file */
  gchar *key_file;
  gchar *skipped;               /* why it was not run, or NULL */
  gboolean ca_property;         /* trusted through tls-ca-file */
} Transport;

/* What one measurement records; the server's frame callback and the
 * appsinks write it from their threads, under lock. */
typedef struct
{
  GMutex lock;
  gboolean timing;              /* record times, not just bytes */
  GArray *push_us;              /* gint64: push time of each buffer */
  GArray *append_us;            /* gint64: arrival of each append */
  GArray *append_end;           /* guint64: sample its audio ends at */
  GArray *delta_us;             /* gint64: sending of each audio delta */
  GArray *reply_us;             /* gint64: arrival of each reply buffer */
  guint64 in_bytes;             /* audio the server received */
  guint64 delta_bytes;          /* audio the server sent */
  guint64 reply_bytes;          /* audio the appsinks received */
  gint server_tid;              /* the server thread's, once it had a frame */
} Run;

typedef struct
{
  GstElement *pipeline;
  GstElement *appsrc;
  guint64 offset;               /* samples pushed */
} Session;

/* One row of results per transport. */
typedef struct
{
  gboolean ran;
  gdouble audio_s, reply_s, wall_s, cpu_s, server_cpu_s;
  gdouble up50, up99, down50, down99;   /* ms; < 0: not measured */
  guint n_deltas, n_replies;
} Result;

/* One cycle of the speech-like input, 8.2 s. */
static gint16 *cycle;
static guint cycle_samples;

/* ------------------------------------------------------------------ */
/* input */

static void
make_cycle (void)
{
  static const struct
  {
    gdouble seconds;
    gboolean tone;
  } parts[] = {
    {0.6, TRUE}, {0.8, FALSE}, {1.4, TRUE}, {0.8, FALSE},
    {2.0, TRUE}, {0.8, FALSE}, {1.0, TRUE}, {0.8, FALSE},
  };
  guint i, j, n = 0;

  for (i = 0; i < G_N_ELEMENTS (parts); i++)
    cycle_samples += (guint) (parts[i].seconds * RATE + 0.5);
  cycle = g_new0 (gint16, cycle_samples);
  for (i = 0; i < G_N_ELEMENTS (parts); i++) {
    guint len = (guint) (parts[i].seconds * RATE + 0.5);

    for (j = 0; j < len; j++, n++)
      cycle[n] = parts[i].tone ?
          (gint16) (8000 * sin (2 * G_PI * 440 * n / RATE)) : 0;
  }
}

/* The next 20 ms of input: copied from the cycle, so that generating it
 * costs next to nothing of what is measured. */
static GstBuffer *
next_buffer (Session * s)
{
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, BUFFER_BYTES, NULL);
  guint start = s->offset % cycle_samples;

  /* cycle_samples is a multiple of BUFFER_SAMPLES */
  gst_buffer_fill (buffer, 0, cycle + start, BUFFER_BYTES);
  GST_BUFFER_PTS (buffer) = gst_util_uint64_scale_int (s->offset, GST_SECOND,
      RATE);
  GST_BUFFER_DURATION (buffer) = 20 * GST_MSECOND;
  s->offset += BUFFER_SAMPLES;
  return buffer;
}

static GstFlowReturn
push_one (Session * s, Run * run)
{
  GstBuffer *buffer = next_buffer (s);

  if (run && run->timing) {
    gint64 now = g_get_monotonic_time ();

    g_mutex_lock (&run->lock);
    g_array_append_val (run->push_us, now);
    g_mutex_unlock (&run->lock);
  }
  return gst_app_src_push_buffer (GST_APP_SRC (s->appsrc), buffer);
}

/* ------------------------------------------------------------------ */
/* measuring */

static Run *
run_new (gboolean timing)
{
  Run *run = g_new0 (Run, 1);

  g_mutex_init (&run->lock);
  run->timing = timing;
  run->push_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  run->append_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  run->append_end = g_array_new (FALSE, FALSE, sizeof (guint64));
  run->delta_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  run->reply_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  return run;
}

static void
run_free (Run * run)
{
  g_array_unref (run->push_us);
  g_array_unref (run->append_us);
  g_array_unref (run->append_end);
  g_array_unref (run->delta_us);
  g_array_unref (run->reply_us);
  g_mutex_clear (&run->lock);
  g_free (run);
}

/* Bytes of the base64 string value of @key in @text, decoded; 0 when
 * there is none. Scanning beats parsing: this runs on the server thread
 * for every frame. */
static gsize
base64_member_size (const gchar * text, const gchar * key)
{
  const gchar *start = strstr (text, key), *end;
  gsize len;

  if (!start || !(start = strchr (start + strlen (key), '"')))
    return 0;
  start++;
  if (!(end = strchr (start, '"')))
    return 0;
  len = end - start;
  if (len < 4)
    return 0;
  return len / 4 * 3 - (end[-1] == '=') - (end[-2] == '=');
}

static void
on_frame (gboolean incoming, const gchar * text, gint64 time_us,
    gpointer user_data)
{
  Run *run = user_data;
  gsize size;

  /* the server thread has no name to find it by in /proc (GLib 2.74
   * gives up on names longer than 15 bytes), so it tells its id here */
  if (!g_atomic_int_get (&run->server_tid))
    g_atomic_int_set (&run->server_tid, (gint) syscall (SYS_gettid));
  if (incoming && strstr (text, "\"input_audio_buffer.append\"")) {
    size = base64_member_size (text, "\"audio\"");
    g_mutex_lock (&run->lock);
    run->in_bytes += size;
    if (run->timing) {
      guint64 end = run->in_bytes / 2;

      g_array_append_val (run->append_us, time_us);
      g_array_append_val (run->append_end, end);
    }
    g_mutex_unlock (&run->lock);
  } else if (!incoming && strstr (text, "\"response.output_audio.delta\"")) {
    size = base64_member_size (text, "\"delta\"");
    g_mutex_lock (&run->lock);
    run->delta_bytes += size;
    if (run->timing)
      g_array_append_val (run->delta_us, time_us);
    g_mutex_unlock (&run->lock);
  }
}

static GstFlowReturn
on_reply_sample (GstAppSink * sink, gpointer user_data)
{
  Run *run = user_data;
  gint64 now = g_get_monotonic_time ();
  GstSample *sample = gst_app_sink_pull_sample (sink);

  if (!sample)
    return GST_FLOW_FLUSHING;
  g_mutex_lock (&run->lock);
  run->reply_bytes += gst_buffer_get_size (gst_sample_get_buffer (sample));
  if (run->timing)
    g_array_append_val (run->reply_us, now);
  g_mutex_unlock (&run->lock);
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

static gdouble
process_cpu_s (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
      usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

/* CPU seconds of the server thread so far (0 before its first frame),
 * in clock ticks of 10 ms. */
static gdouble
server_cpu_s (Run * run)
{
  gint tid = g_atomic_int_get (&run->server_tid);
  gchar *path = g_strdup_printf ("/proc/self/task/%d/stat", tid);
  gchar *stat = NULL;
  const gchar *fields;
  gulong utime = 0, stime = 0;

  /* utime and stime are the 12th and 13th fields after "(comm)" */
  if (tid && g_file_get_contents (path, &stat, NULL, NULL)
      && (fields = strrchr (stat, ')')))
    sscanf (fields + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
        "%lu %lu", &utime, &stime);
  g_free (path);
  g_free (stat);
  return (gdouble) (utime + stime) / sysconf (_SC_CLK_TCK);
}

/* VmRSS in KiB. */
static gint64
current_rss_kib (void)
{
  gchar *status = NULL;
  const gchar *line;
  gint64 kib = 0;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      && (line = strstr (status, "\nVmRSS:")))
    kib = g_ascii_strtoll (line + strlen ("\nVmRSS:"), NULL, 10);
  g_free (status);
  return kib;
}

static gint
compare_int64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* p50 and p99 of @us, in ms; -1 when empty. */
static void
percentiles (GArray * us, gdouble * p50, gdouble * p99)
{
  *p50 = *p99 = -1;
  if (us->len == 0)
    return;
  g_array_sort (us, compare_int64);
  *p50 = g_array_index (us, gint64, us->len / 2) / 1000.0;
  *p99 = g_array_index (us, gint64, MIN (us->len - 1,
          (guint) ceil (us->len * 0.99) - 1)) / 1000.0;
}

/* Each append against the push of the buffer that completed it: the
 * buffer holding its last sample. The wait for a chunk to fill is thus
 * left out; what remains is the element and the socket. */
static void
sink_to_wire (Run * run, Result * result)
{
  GArray *lat = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint i;

  for (i = 0; i < run->append_us->len; i++) {
    guint64 end = g_array_index (run->append_end, guint64, i);
    guint buffer = end ? (end - 1) / BUFFER_SAMPLES : 0;
    gint64 d;

    if (buffer < WARMUP_BUFFERS || buffer >= run->push_us->len)
      continue;
    d = g_array_index (run->append_us, gint64, i) -
        g_array_index (run->push_us, gint64, buffer);
    g_array_append_val (lat, d);
  }
  percentiles (lat, &result->up50, &result->up99);
  g_array_unref (lat);
}

/* The element pushes one buffer per audio delta, in order. */
static void
wire_to_push (Run * run, Result * result)
{
  GArray *lat = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint i, n = MIN (run->delta_us->len, run->reply_us->len);

  for (i = 0; i < n; i++) {
    gint64 d = g_array_index (run->reply_us, gint64, i) -
        g_array_index (run->delta_us, gint64, i);

    g_array_append_val (lat, d);
  }
  result->n_deltas = run->delta_us->len;
  result->n_replies = run->reply_us->len;
  percentiles (lat, &result->down50, &result->down99);
  g_array_unref (lat);
}

/* ------------------------------------------------------------------ */
/* server and sessions */

static RealtimeTestServer *
server_start (Transport * t, gboolean realtime, Run * run)
{
  RealtimeTestServer *server = realtime_test_server_new ();
  GError *error = NULL;

  realtime_test_server_set_api_key (server, KEY);
  realtime_test_server_set_realtime_replies (server, realtime);
  realtime_test_server_set_frame_func (server, on_frame, run);
  /* the bench reads counts only; kept appends would be most of the RSS */
  realtime_test_server_set_drop_events (server, TRUE);
  if (!realtime_test_server_start (server, 0, t->certificate, &error))
    g_error ("the test server did not start: %s", error->message);
  return server;
}

static gchar *
tls_props (Transport * t)
{
  if (!t->ca_property)
    return g_strdup ("");
  return g_strdup_printf ("tls-ca-file=\"%s\"", t->ca_file);
}

static Session *
session_new (RealtimeTestServer * server, Transport * t, Run * run)
{
  Session *s = g_new0 (Session, 1);
  gchar *url = realtime_test_server_get_url (server);
  gchar *props = tls_props (t);
  GstAppSinkCallbacks callbacks = { NULL, };
  GError *error = NULL;
  GstElement *sink;
  gchar *launch;

  /* block=true: pushing faster than the element sends holds the pusher
   * instead of queueing the whole input in appsrc */
  launch = g_strdup_printf ("appsrc name=in is-live=true format=time "
      "block=true max-bytes=%u caps=audio/x-raw,format=S16LE,rate=%u,"
      "channels=1,layout=interleaved ! realtimeai url=\"%s\" api-key=" KEY
      " interrupt-response=false %s name=ai ai.src ! appsink name=out "
      "sync=false async=false ai.text_src ! fakesink sync=false async=false",
      RATE * 2, RATE, url, props);
  s->pipeline = gst_parse_launch_full (launch, NULL,
      GST_PARSE_FLAG_FATAL_ERRORS, &error);
  if (!s->pipeline)
    g_error ("could not build the pipeline: %s", error->message);
  s->appsrc = gst_bin_get_by_name (GST_BIN (s->pipeline), "in");
  sink = gst_bin_get_by_name (GST_BIN (s->pipeline), "out");
  callbacks.new_sample = on_reply_sample;
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, run, NULL);
  gst_object_unref (sink);
  g_free (launch);
  g_free (props);
  g_free (url);
  return s;
}

/* Plays and pushes the first buffer, which carries the caps the element
 * needs before it configures the session. */
static void
session_start (Session * s, Run * run)
{
  if (gst_element_set_state (s->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE)
    g_error ("the pipeline did not start");
  push_one (s, run);
}

/* Prints the pipeline's error, if it had one. */
static gboolean
session_failed (Session * s)
{
  GstBus *bus = gst_element_get_bus (s->pipeline);
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  GError *error = NULL;
  gchar *debug = NULL;

  gst_object_unref (bus);
  if (!msg)
    return FALSE;
  gst_message_parse_error (msg, &error, &debug);
  g_printerr ("# session error: %s (%s)\n", error->message, debug);
  g_error_free (error);
  g_free (debug);
  gst_message_unref (msg);
  return TRUE;
}

static void
session_free (Session * s)
{
  session_failed (s);
  gst_element_set_state (s->pipeline, GST_STATE_NULL);
  gst_object_unref (s->appsrc);
  gst_object_unref (s->pipeline);
  g_free (s);
}

/* Waits until the server has configured @count sessions: audio pushed
 * from then on goes out as it comes. */
static gboolean
wait_ready (RealtimeTestServer * server, guint count)
{
  if (!realtime_test_server_wait_for_client_event (server, "session.update",
          count, 10000 + 200 * count)) {
    g_printerr ("# only %u of %u sessions came up\n",
        realtime_test_server_count_client_events (server, "session.update"),
        count);
    return FALSE;
  }
  g_usleep (100 * G_TIME_SPAN_MILLISECOND);
  return TRUE;
}

/* Sleeps until @deadline (monotonic µs). */
static void
sleep_until (gint64 deadline)
{
  gint64 now = g_get_monotonic_time ();

  if (deadline > now)
    g_usleep (deadline - now);
}

/* ------------------------------------------------------------------ */
/* the CPU run: faster than real time */

static gboolean
push_fast (Session * s, guint64 samples)
{
  while (s->offset < samples)
    if (push_one (s, NULL) != GST_FLOW_OK)
      return FALSE;
  gst_app_src_end_of_stream (GST_APP_SRC (s->appsrc));
  return TRUE;
}

static gboolean
wait_eos (Session * s, GstClockTime timeout)
{
  GstBus *bus = gst_element_get_bus (s->pipeline);
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, timeout,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gboolean eos = msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS;

  if (msg && !eos)
    gst_bus_post (bus, msg);    /* for session_failed to print */
  else if (msg)
    gst_message_unref (msg);
  gst_object_unref (bus);
  return eos;
}

static void
measure_cpu (Transport * t, const Options * o, Result * result)
{
  Run *run = run_new (FALSE);
  RealtimeTestServer *server = server_start (t, FALSE, run);
  Session *s = session_new (server, t, run);
  guint64 samples = (guint64) o->minutes * 60 * RATE;
  gdouble cpu0, server0;
  gint64 start;

  session_start (s, NULL);
  if (wait_ready (server, 1)) {
    cpu0 = process_cpu_s ();
    server0 = server_cpu_s (run);
    start = g_get_monotonic_time ();
    if (push_fast (s, samples) && wait_eos (s, 120 * GST_SECOND)) {
      result->cpu_s = process_cpu_s () - cpu0;
      result->server_cpu_s = server_cpu_s (run) - server0;
      result->wall_s = (g_get_monotonic_time () - start) / 1e6;
      result->audio_s = (gdouble) s->offset / RATE;
      result->reply_s = run->reply_bytes / 2.0 / RATE;
      result->ran = TRUE;
    }
  }
  session_free (s);
  realtime_test_server_free (server);
  run_free (run);
}

/* ------------------------------------------------------------------ */
/* the latency run: real time */

static void
measure_latency (Transport * t, const Options * o, Result * result)
{
  Run *run = run_new (TRUE);
  RealtimeTestServer *server = server_start (t, TRUE, run);
  Session *s = session_new (server, t, run);
  guint n = o->latency_seconds * 50, i;
  gint64 start;
  gboolean ready;

  result->up50 = result->up99 = result->down50 = result->down99 = -1;
  session_start (s, run);
  if ((ready = wait_ready (server, 1))) {
    start = g_get_monotonic_time ();
    for (i = 1; i < n; i++) {
      sleep_until (start + i * BUFFER_US);
      if (push_one (s, run) != GST_FLOW_OK)
        break;
    }
    /* the last reply is still being spoken */
    g_usleep (3 * G_USEC_PER_SEC);
  }
  /* both gone, nothing adds to the run while it is read */
  session_free (s);
  realtime_test_server_free (server);
  if (ready) {
    sink_to_wire (run, result);
    wire_to_push (run, result);
  }
  run_free (run);
}

/* ------------------------------------------------------------------ */
/* concurrency: K sessions at real time */

typedef struct
{
  guint k;
  gboolean kept_up;
  gint64 max_lag_us;
  gint64 rss_setup_kib;         /* per session, once set up */
  gint64 rss_streaming_kib;     /* per session, after streaming */
  gdouble wall_s;               /* the whole step, setup to teardown */
  gdouble cpu_share;            /* of one core, over the step */
  gchar *why;                   /* why it fell behind */
} Step;

/* One pusher thread for all sessions, 20 ms per tick, as if each had a
 * sound card; returns the worst lateness of a tick's last push. */
static gint64
push_realtime (Session ** sessions, guint k, guint seconds)
{
  guint n = seconds * 50, i, j;
  gint64 start = g_get_monotonic_time (), lag, max_lag = 0;

  for (i = 1; i < n; i++) {
    gint64 deadline = start + i * BUFFER_US;

    sleep_until (deadline);
    for (j = 0; j < k; j++)
      push_one (sessions[j], NULL);
    lag = g_get_monotonic_time () - deadline;
    max_lag = MAX (max_lag, lag);
  }
  return max_lag;
}

/* After the pushing, appends and replies may trail by GRACE_MS: the
 * server must then have all the audio but the chunk each element holds,
 * and the appsinks all the reply audio the server had sent. */
static gchar *
check_delivery (Run * run, Session ** sessions, guint k)
{
  guint64 pushed = 0, sent, in, received;
  guint j;

  for (j = 0; j < k; j++)
    pushed += sessions[j]->offset * 2;
  g_mutex_lock (&run->lock);
  sent = run->delta_bytes;
  g_mutex_unlock (&run->lock);
  g_usleep (GRACE_MS * G_TIME_SPAN_MILLISECOND);
  g_mutex_lock (&run->lock);
  in = run->in_bytes;
  received = run->reply_bytes;
  g_mutex_unlock (&run->lock);
  if (in + (guint64) k * CHUNK_BYTES < pushed)
    return g_strdup_printf ("appends %.1f s behind",
        (pushed - in) / 2.0 / RATE / k);
  if (received < sent)
    return g_strdup_printf ("replies %.1f s behind",
        (sent - received) / 2.0 / RATE / k);
  return sent ? NULL : g_strdup ("no replies");
}

static void
run_step (Transport * t, const Options * o, Step * step)
{
  Run *run = run_new (FALSE);
  RealtimeTestServer *server = server_start (t, TRUE, run);
  Session **sessions = g_new0 (Session *, step->k);
  gint64 rss0, start;
  gdouble cpu0;
  guint j;

  gint64 begin = g_get_monotonic_time ();

  /* what earlier steps freed is not counted as this one's */
  malloc_trim (0);
  rss0 = current_rss_kib ();
  for (j = 0; j < step->k; j++) {
    sessions[j] = session_new (server, t, run);
    session_start (sessions[j], NULL);
  }
  if (!wait_ready (server, step->k)) {
    step->why = g_strdup ("sessions did not come up");
  } else {
    step->rss_setup_kib = (current_rss_kib () - rss0) / step->k;
    cpu0 = process_cpu_s ();
    start = g_get_monotonic_time ();
    step->max_lag_us = push_realtime (sessions, step->k, o->step_seconds);
    step->cpu_share = (process_cpu_s () - cpu0) /
        ((g_get_monotonic_time () - start) / 1e6);
    step->rss_streaming_kib = (current_rss_kib () - rss0) / step->k;
    step->why = check_delivery (run, sessions, step->k);
    if (!step->why && step->max_lag_us > o->max_lag_ms * 1000)
      step->why = g_strdup_printf ("pusher %.0f ms late",
          step->max_lag_us / 1000.0);
  }
  for (j = 0; j < step->k; j++)
    if (session_failed (sessions[j]) && !step->why)
      step->why = g_strdup ("a session failed");
  step->kept_up = step->why == NULL;
  for (j = 0; j < step->k; j++)
    session_free (sessions[j]);
  g_free (sessions);
  realtime_test_server_free (server);
  run_free (run);
  step->wall_s = (g_get_monotonic_time () - begin) / 1e6;
}

/* Doubles K from 1 while the sessions keep up; @best gets the largest K
 * that did, @failed the first that did not (k 0 when none failed). */
static void
measure_concurrency (Transport * t, const Options * o, Step * best,
    Step * failed)
{
  guint k = 1;

  while (k <= (guint) o->sessions_max) {
    Step step = { k, };

    run_step (t, o, &step);
    g_printerr ("# %u sessions: %s (pusher lag %.1f ms, %.0f%% CPU, "
        "%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT " KiB/session, %.1f s)\n",
        k, step.kept_up ? "kept up" : step.why, step.max_lag_us / 1000.0,
        step.cpu_share * 100, step.rss_setup_kib, step.rss_streaming_kib,
        step.wall_s);
    if (!step.kept_up) {
      *failed = step;
      return;
    }
    *best = step;
    if (k == (guint) o->sessions_max)
      break;
    k = MIN (k * 2, (guint) o->sessions_max);
  }
}

/* ------------------------------------------------------------------ */
/* wss: a self-signed certificate made for this run */

static gchar *
make_certificate (Transport * t, const gchar * dir)
{
  gchar *key = g_build_filename (dir, "key.pem", NULL);
  gchar *cert = g_build_filename (dir, "cert.pem", NULL);

  const gchar *argv[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048",
    "-nodes", "-subj", "/CN=localhost", "-days", "1",
    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
    "-keyout", key, "-out", cert, NULL
  };
  GError *error = NULL;
  gint status;
  gchar *why = NULL;

  if (!g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH |
          G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
          NULL, NULL, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error)
      || !(t->certificate = g_tls_certificate_new_from_files (cert, key,
              &error)))
    why = g_strdup_printf ("no certificate: %s", error->message);
  g_clear_error (&error);
  t->ca_file = cert;
  t->key_file = key;
  return why;
}

static gboolean
element_has_property (const gchar * name)
{
  GstElement *probe = gst_element_factory_make ("realtimeai", NULL);
  gboolean has = g_object_class_find_property (G_OBJECT_GET_CLASS (probe),
      name) != NULL;

  gst_object_unref (probe);
  return has;
}

/* Without a tls-ca-file property the element verifies against GIO's
 * default database: making that one trust the certificate is the one way
 * in that needs no change to the element (GnuTLS reads no CA file from
 * the environment). It is process-wide, which a benchmark can afford. */
static gchar *
trust_certificate (Transport * t)
{
  GError *error = NULL;
  GTlsDatabase *db = g_tls_file_database_new (t->ca_file, &error);
  gchar *why = NULL;

  if (!db) {
    why = g_strdup_printf ("CA file: %s", error->message);
    g_error_free (error);
    return why;
  }
  g_tls_backend_set_default_database (g_tls_backend_get_default (), db);
  g_object_unref (db);
  return NULL;
}

static void
transport_init_wss (Transport * t, const gchar * dir)
{
  t->name = "wss";
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    t->skipped = g_strdup ("no TLS backend (glib-networking)");
  if (!t->skipped)
    t->skipped = make_certificate (t, dir);
  /* an element that can be told the CA is measured as it would be used */
  t->ca_property = element_has_property ("tls-ca-file");
  if (!t->skipped && !t->ca_property)
    t->skipped = trust_certificate (t);
}

static void
transport_clear (Transport * t)
{
  if (t->key_file)
    g_unlink (t->key_file);
  if (t->ca_file)
    g_unlink (t->ca_file);
  g_clear_object (&t->certificate);
  g_free (t->key_file);
  g_free (t->ca_file);
  g_free (t->skipped);
}

/* ------------------------------------------------------------------ */
/* the table */

static gchar *
format_pair (gdouble a, gdouble b)
{
  if (a < 0)
    return g_strdup ("-");
  return g_strdup_printf ("%.2f / %.2f", a, b);
}

static void
print_row (const gchar * label, gchar * ws, gchar * wss)
{
  g_print ("%-40s %-18s %s\n", label, ws, wss);
  g_free (ws);
  g_free (wss);
}

/* The rows of the table that differ by transport. */
typedef enum
{
  ROW_CPU,
  ROW_SERVER_CPU,
  ROW_CLIENT_CPU,
  ROW_AUDIO,
  ROW_SINK_TO_WIRE,
  ROW_WIRE_TO_PUSH,
  N_ROWS
} Row;

static gchar *
cell (const Result * r, const Transport * t, Row row)
{
  /* the reply is shorter than the input (its silences are not echoed):
   * an hour of duplex streaming is an hour each way, so the mean */
  gdouble hours = (r->audio_s + r->reply_s) / 2 / 3600;

  if (t->skipped)
    return g_strdup ("skipped");
  if (!r->ran && row < ROW_SINK_TO_WIRE)
    return g_strdup ("failed");
  switch (row) {
    case ROW_CPU:
      return g_strdup_printf ("%.1f", r->cpu_s / hours);
    case ROW_SERVER_CPU:
      return g_strdup_printf ("%.1f", r->server_cpu_s / hours);
    case ROW_CLIENT_CPU:
      return g_strdup_printf ("%.1f", (r->cpu_s - r->server_cpu_s) / hours);
    case ROW_AUDIO:
      return g_strdup_printf ("%.0f / %.0f / %.1f", r->audio_s, r->reply_s,
          r->wall_s);
    case ROW_SINK_TO_WIRE:
      return format_pair (r->up50, r->up99);
    default:
      return format_pair (r->down50, r->down99);
  }
}

static gchar *
sessions_cell (const Step * best, const Step * failed)
{
  if (!best->k)
    return g_strdup (failed->k ? failed->why : "not run");
  if (!failed->k)
    return g_strdup_printf ("%u (all tried)", best->k);
  return g_strdup_printf ("%u (%u: %s)", best->k, failed->k, failed->why);
}

static void
print_table (Transport * t, Result * r, Step * best, Step * failed)
{
  static const gchar *labels[N_ROWS] = {
    "CPU s per duplex audio-hour (process)",
    "  of which the test server thread",
    "  the rest: element and harness",
    "audio in / reply out / wall (s)",
    "sink-to-wire p50 / p99 (ms)",
    "wire-to-push p50 / p99 (ms)",
  };
  struct rusage usage;
  Row i;

  getrusage (RUSAGE_SELF, &usage);
  g_print ("\n%-40s %-18s %s\n", "realtime-bench", t[0].name, t[1].name);
  for (i = 0; i < N_ROWS; i++)
    print_row (labels[i], cell (&r[0], &t[0], i), cell (&r[1], &t[1], i));
  print_row ("peak RSS, whole run (MiB)",
      g_strdup_printf ("%.1f", usage.ru_maxrss / 1024.0), g_strdup (""));
  print_row ("RSS/session, set up / streaming (KiB)", best->k ?
      g_strdup_printf ("%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT " (K=%u)",
          best->rss_setup_kib, best->rss_streaming_kib, best->k) :
      g_strdup ("-"), g_strdup ("not run"));
  print_row ("real-time sessions kept up", sessions_cell (best, failed),
      g_strdup ("not run"));
  if (t[1].skipped)
    g_print ("wss: skipped (%s)\n", t[1].skipped);
  else
    g_print ("wss: RSA 2048 self-signed, trusted through %s\n",
        t[1].ca_property ? "tls-ca-file" : "GIO's default TLS database");
}

/* ------------------------------------------------------------------ */

static gboolean
parse_options (Options * o, int *argc, char ***argv)
{
  GOptionEntry entries[] = {
    {"minutes", 'm', 0, G_OPTION_ARG_INT, &o->minutes,
        "Minutes of audio per transport for the CPU run (default 30)", "N"},
    {"latency-seconds", 'l', 0, G_OPTION_ARG_INT, &o->latency_seconds,
        "Seconds of real-time audio for the latency run (default 10)", "S"},
    {"sessions-max", 's', 0, G_OPTION_ARG_INT, &o->sessions_max,
        "Most concurrent sessions to try; 0 skips (default 512)", "K"},
    {"step-seconds", 0, 0, G_OPTION_ARG_INT, &o->step_seconds,
        "Seconds each concurrency step runs (default 5)", "S"},
    {"max-lag-ms", 0, 0, G_OPTION_ARG_INT, &o->max_lag_ms,
        "Pusher lateness that counts as falling behind (default 200)", "MS"},
    {"no-wss", 0, 0, G_OPTION_ARG_NONE, &o->no_wss,
        "Measure ws:// only", NULL},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new ("- benchmark realtimeai");
  GError *error = NULL;
  gboolean ok;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  ok = g_option_context_parse (ctx, argc, argv, &error);
  if (!ok)
    g_printerr ("%s\n", error->message);
  g_clear_error (&error);
  g_option_context_free (ctx);
  return ok && o->minutes > 0 && o->latency_seconds > 1
      && o->sessions_max >= 0 && o->step_seconds > 0;
}

static void
measure_transport (Transport * t, const Options * o, Result * r)
{
  if (t->skipped)
    return;
  g_printerr ("# %s: CPU, %d min of audio as fast as it goes\n", t->name,
      o->minutes);
  measure_cpu (t, o, r);
  g_printerr ("# %s: latency, %d s at real time\n", t->name,
      o->latency_seconds);
  measure_latency (t, o, r);
  if (r->n_deltas != r->n_replies)
    g_printerr ("# %s: %u deltas sent, %u reply buffers came\n", t->name,
        r->n_deltas, r->n_replies);
}

static gboolean
have_element (void)
{
  GstElementFactory *factory = gst_element_factory_find ("realtimeai");

  if (!factory)
    return FALSE;
  gst_object_unref (factory);
  return TRUE;
}

int
main (int argc, char **argv)
{
  Options o = { 30, 10, 512, 5, 200, FALSE };
  Transport t[2] = { {"ws",}, {"wss",} };
  Result r[2] = { {0,}, {0,} };
  Step best = { 0, }, failed = { 0, };
  gint64 start = g_get_monotonic_time ();
  gchar *dir;
  gint i;

  /* loopback needs no proxy; libproxy's look-ups would be measured too */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", FALSE);
  if (!parse_options (&o, &argc, &argv))
    return 2;
  if (!have_element ()) {
    g_printerr ("no realtimeai element: set GST_PLUGIN_PATH to "
        "build/gst/realtime\n");
    return 1;
  }
  make_cycle ();
  dir = g_dir_make_tmp ("realtime-bench-XXXXXX", NULL);
  if (o.no_wss)
    t[1].skipped = g_strdup ("--no-wss");
  else if (!dir)
    t[1].skipped = g_strdup ("no temporary directory");
  else
    transport_init_wss (&t[1], dir);
  for (i = 0; i < 2; i++)
    measure_transport (&t[i], &o, &r[i]);
  if (o.sessions_max > 0)
    measure_concurrency (&t[0], &o, &best, &failed);
  print_table (t, r, &best, &failed);
  g_print ("took %.0f s\n", (g_get_monotonic_time () - start) / 1e6);

  g_free (failed.why);
  g_free (best.why);
  for (i = 0; i < 2; i++)
    transport_clear (&t[i]);
  if (dir)
    g_rmdir (dir);
  g_free (dir);
  g_free (cycle);
  return 0;
}
