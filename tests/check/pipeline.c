/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What a pipeline may do to the element, as GStreamer users expect it to
 * cope: caps that change mid-stream, flushing seeks, state changes over
 * and over, EOS before any audio, buffers without timestamps. */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "realtimefixture.h"

/* Silence, a tone, then the silence that ends the turn. */
static const Part one_turn[] = { {0.3, FALSE}, {0.4, TRUE}, {0.7, FALSE} };

static const Part two_turns[] = {
  {0.3, FALSE}, {0.4, TRUE}, {0.7, FALSE},
  {0.3, FALSE}, {0.4, TRUE}, {0.7, FALSE},
};

#define TURN_DURATION (1400 * GST_MSECOND)
#define INPUT_FORMAT "$.session.audio.input.format.type"
#define OUTPUT_FORMAT "$.session.audio.output.format.type"

static GstClockTime
scaled (GstClockTime timeout)
{
  const gchar *multiplier = g_getenv ("CK_TIMEOUT_MULTIPLIER");

  return timeout * (multiplier ? MAX (1, atoi (multiplier)) : 1);
}

static guint
scaled_ms (guint ms)
{
  return scaled (ms * GST_MSECOND) / GST_MSECOND;
}

/* Waits for EOS within @timeout (scaled), failing on an error. */
static void
assert_eos_within (GstElement * pipeline, GstClockTime timeout)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, scaled (timeout),
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  GError *error = NULL;

  fail_unless (msg != NULL, "no EOS within %" GST_TIME_FORMAT,
      GST_TIME_ARGS (scaled (timeout)));
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    gst_message_parse_error (msg, &error, NULL);
  fail_unless (error == NULL, "unexpected error: %s", error->message);
  gst_message_unref (msg);
  gst_object_unref (bus);
}

/* ------------------------------------------------------------------ */
/* Caps that change mid-stream */

/* ITU-T G.711 mu-law: sign, a 3-bit segment and 4 bits of mantissa of
 * the biased magnitude, all inverted. */
static guint8
linear_to_mulaw (gint16 pcm)
{
  gint value = pcm, sign = 0, exponent = 7;

  if (value < 0) {
    value = -value;
    sign = 0x80;
  }
  value = MIN (value, 32635) + 132;
  while (exponent > 0 && !(value & (1 << (exponent + 7))))
    exponent--;
  return ~(sign | exponent << 4 | ((value >> (exponent + 3)) & 0x0f));
}

/* @seconds of mu-law at 8 kHz from @position on: a tone or silence. */
static GstBuffer *
make_mulaw (gdouble seconds, gboolean tone, GstClockTime * position)
{
  guint n = (guint) (seconds * 8000), i;
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, n, NULL);
  GstMapInfo map;

  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  for (i = 0; i < n; i++)
    map.data[i] = linear_to_mulaw (tone ? (gint16) (8000 * sin (2 * G_PI *
                440 * i / 8000.0)) : 0);
  gst_buffer_unmap (buffer, &map);
  GST_BUFFER_PTS (buffer) = *position;
  GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale_int (n, GST_SECOND,
      8000);
  *position += GST_BUFFER_DURATION (buffer);
  return buffer;
}

static gsize
caps_bytes_per_second (GstCaps * caps)
{
  GstStructure *s;

  fail_unless (caps != NULL, "reply audio without caps");
  s = gst_caps_get_structure (caps, 0);

  return gst_structure_has_name (s, "audio/x-mulaw") ? 8000 : RATE * 2;
}

/* The bytes of audio the server got before and after its @n-th (from 1)
 * session.update. */
static void
count_appended (RealtimeTestServer * server, guint n, gsize * before,
    gsize * after)
{
  GPtrArray *events = realtime_test_server_get_client_events (server);
  guint i, updates = 0;

  *before = *after = 0;
  for (i = 0; i < events->len; i++) {
    JsonNode *node = json_from_string (g_ptr_array_index (events, i), NULL);
    JsonObject *event = json_node_get_object (node);
    const gchar *type = json_object_get_string_member (event, "type");
    gsize size;

    if (g_str_equal (type, "session.update")) {
      updates++;
    } else if (g_str_equal (type, "input_audio_buffer.append")) {
      g_free (g_base64_decode (json_object_get_string_member (event,
                  "audio"), &size));
      *(updates >= n ? after : before) += size;
    }
    json_node_unref (node);
  }
  g_ptr_array_unref (events);
}

/* The session goes from 24 kHz PCM to 8 kHz mu-law between two turns
 * (the PCM ending on less than an append's worth): the element announces
 * the new format after the last PCM and before the first mu-law, the
 * server hears the second turn in it, and its reply comes in it. */
GST_START_TEST (test_caps_change_to_mulaw)
{
  Fixture f = { 0, };
  GstCaps *mulaw = gst_caps_from_string ("audio/x-mulaw,rate=8000,"
      "channels=1");
  GstClockTime position;
  GstSample *sample;
  GArray *turns;
  guint64 offset = 0;
  gsize mulaw_bytes = 0, pcm_bytes = 0;
  gchar *value, *all;
  GPtrArray *text;
  guint i;

  fixture_setup (&f, 0, NULL);
  fixture_watch_server_events (&f);
  fail_unless (gst_element_set_state (f.pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (push_parts (&f, one_turn, G_N_ELEMENTS (one_turn),
          &offset), GST_FLOW_OK);
  fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (f.appsrc),
          make_audio (0.01, FALSE, &offset)), GST_FLOW_OK);
  fail_unless (fixture_wait_server_event (&f, "response.done", 1,
          scaled_ms (10000)), "no reply to the first turn");

  position = gst_util_uint64_scale_int (offset, GST_SECOND, RATE);
  gst_app_src_set_caps (GST_APP_SRC (f.appsrc), mulaw);
  for (i = 0; i < G_N_ELEMENTS (one_turn); i++) {
    guint n = (guint) (one_turn[i].seconds / 0.02 + 0.5), j;

    for (j = 0; j < n; j++)
      fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC
              (f.appsrc), make_mulaw (0.02, one_turn[i].tone, &position)),
          GST_FLOW_OK);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (f.appsrc));
  assert_eos (&f);

  /* announced: first PCM, then mu-law both ways */
  value = client_event_value (f.server, "session.update", 0, INPUT_FORMAT);
  fail_unless_equals_string (value, "audio/pcm");
  g_free (value);
  value = client_event_value (f.server, "session.update", 1, INPUT_FORMAT);
  fail_unless_equals_string (value, "audio/pcmu");
  g_free (value);
  value = client_event_value (f.server, "session.update", 1, OUTPUT_FORMAT);
  fail_unless_equals_string (value, "audio/pcmu");
  g_free (value);
  /* all the PCM before the new format, all the mu-law after it */
  count_appended (f.server, 2, &pcm_bytes, &mulaw_bytes);
  fail_unless_equals_uint64 (pcm_bytes, offset * 2);
  fail_unless_equals_uint64 (mulaw_bytes, TURN_DURATION * 8000 / GST_SECOND);
  pcm_bytes = mulaw_bytes = 0;

  /* both turns heard and answered */
  turns = server_turns (&f, 2);
  text = collect (f.text_sink);
  all = all_text (text);
  fail_unless_equals_string (all, "Reply to turn 1.\nReply to turn 2.\n");
  g_free (all);
  g_ptr_array_unref (text);

  /* the first reply in PCM, the second in mu-law, each as long as the
   * turn it echoes */
  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (f.audio_sink),
              0))) {
    gsize size = gst_buffer_get_size (gst_sample_get_buffer (sample));

    if (caps_bytes_per_second (gst_sample_get_caps (sample)) == 8000)
      mulaw_bytes += size;
    else
      pcm_bytes += size;
    gst_sample_unref (sample);
  }
  for (i = 0; i < 2; i++) {
    RealtimeTestTurn *turn = &g_array_index (turns, RealtimeTestTurn, i);
    gsize expected = (turn->audio_end_ms - turn->audio_start_ms) *
        (i == 0 ? RATE * 2 : 8000) / 1000;

    fail_unless_equals_uint64 (i == 0 ? pcm_bytes : mulaw_bytes, expected);
  }

  g_array_unref (turns);
  gst_caps_unref (mulaw);
  fixture_teardown (&f);
}

GST_END_TEST;

/* ------------------------------------------------------------------ */
/* Flushing seeks */

#define N_FILE_TURNS 4

/* Writes N_FILE_TURNS of one_turn as a WAV file; returns its path. */
static gchar *
write_wav (const gchar * name)
{
  gchar *path = g_build_filename (g_getenv ("REALTIME_TEST_OUTPUT"), name,
      NULL);
  GstElement *pipeline = make_pipeline ("appsrc name=in format=time "
      "caps=audio/x-raw,format=S16LE,rate=24000,channels=1,layout=interleaved "
      "! wavenc ! filesink location=\"%s\"", path);
  GstElement *appsrc = gst_bin_get_by_name (GST_BIN (pipeline), "in");
  Fixture writer = { 0, };
  guint64 offset = 0;
  guint i;

  writer.pipeline = pipeline;
  writer.appsrc = appsrc;
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  for (i = 0; i < N_FILE_TURNS; i++)
    push_parts (&writer, one_turn, G_N_ELEMENTS (one_turn), &offset);
  gst_app_src_end_of_stream (GST_APP_SRC (appsrc));
  assert_eos_within (pipeline, 10 * GST_SECOND);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (appsrc);
  gst_object_unref (pipeline);
  return path;
}

/* Everything an appsink got, with the segment it came in. */
typedef struct
{
  GstClockTime pts;
  GstClockTime segment_start;
  gchar *text;
} Pulled;

static void
pulled_free (Pulled * pulled)
{
  g_free (pulled->text);
  g_free (pulled);
}

static GPtrArray *
pull_all (GstElement * appsink)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify)
      pulled_free);
  GstSample *sample;

  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (appsink), 0))) {
    GstBuffer *buffer = gst_sample_get_buffer (sample);
    Pulled *pulled = g_new0 (Pulled, 1);
    GstMapInfo map;

    pulled->pts = GST_BUFFER_PTS (buffer);
    pulled->segment_start = gst_sample_get_segment (sample)->start;
    gst_buffer_map (buffer, &map, GST_MAP_READ);
    pulled->text = g_strndup ((const gchar *) map.data, map.size);
    gst_buffer_unmap (buffer, &map);
    g_ptr_array_add (all, pulled);
    gst_sample_unref (sample);
  }
  return all;
}

/* The server places turns on 10 ms frames. */
#define TOLERANCE (20 * GST_MSECOND)

/* The text of the buffers from the turn at @start to the next one at
 * @next; the first must fall on the turn. */
static gchar *
text_of_turn (GPtrArray * pulled, GstClockTime start, GstClockTime next)
{
  GString *text = g_string_new (NULL);
  guint i;

  for (i = 0; i < pulled->len; i++) {
    Pulled *p = g_ptr_array_index (pulled, i);

    if (p->pts + TOLERANCE < start || p->pts + TOLERANCE >= next)
      continue;
    if (text->len == 0)
      fail_unless (p->pts <= start + TOLERANCE, "'%s' at %" GST_TIME_FORMAT
          ", its turn starts at %" GST_TIME_FORMAT, p->text,
          GST_TIME_ARGS (p->pts), GST_TIME_ARGS (start));
    g_string_append (text, p->text);
  }
  return g_string_free (text, FALSE);
}

/* Seeking a file while the reply to turn 2 is on its way: after the seek
 * only turns 3 and 4 are answered, on the new segment, and nothing of
 * before the seek comes out (the stale reply to turn 2 included). */
GST_START_TEST (test_flushing_seek)
{
  RealtimeTestServer *server = start_server (0);
  gchar *wav = write_wav ("seek.wav");
  gchar *url = realtime_test_server_get_url (server);
  GstElement *pipeline = make_pipeline ("filesrc location=\"%s\" ! wavparse "
      "! realtimeai name=ai url=\"%s\" api-key=" TEST_KEY " "
      "ai.src ! appsink name=audio sync=false wait-on-eos=false "
      "ai.text_src ! appsink name=text sync=false wait-on-eos=false", wav, url);
  GstElement *audio_sink = gst_bin_get_by_name (GST_BIN (pipeline), "audio");
  GstElement *text_sink = gst_bin_get_by_name (GST_BIN (pipeline), "text");
  GstClockTime seek_to = 2 * TURN_DURATION;
  GPtrArray *text, *audio;
  GString *after = g_string_new (NULL);
  guint i;

  /* the reply to turn 2 starts only once the seek is done */
  realtime_test_server_set_response_delay_ms (server, scaled_ms (1000));
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  fail_unless (realtime_test_server_wait_for_client_event (server,
          "response.create", 2, scaled_ms (10000)), "turn 2 not asked for");
  fail_unless (gst_element_seek_simple (pipeline, GST_FORMAT_TIME,
          GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, seek_to));
  assert_eos_within (pipeline, 20 * GST_SECOND);

  /* a flushing seek empties the appsinks: all they hold came after it */
  text = pull_all (text_sink);
  audio = pull_all (audio_sink);
  for (i = 0; i < text->len; i++) {
    Pulled *pulled = g_ptr_array_index (text, i);

    GST_DEBUG ("text '%s' at %" GST_TIME_FORMAT, pulled->text,
        GST_TIME_ARGS (pulled->pts));
    fail_unless_equals_uint64 (pulled->segment_start, seek_to);
    fail_unless (pulled->pts >= seek_to, "text '%s' at %" GST_TIME_FORMAT
        " is from before the seek", pulled->text, GST_TIME_ARGS (pulled->pts));
    g_string_append (after, pulled->text);
  }
  fail_unless_equals_string (after->str, "Reply to turn 3.\nReply to turn 4.\n");
  /* each on its turn, which starts with the silence before the tone (the
   * server's 300 ms of prefix padding) */
  for (i = 0; i < 2; i++) {
    GstClockTime start = seek_to + i * TURN_DURATION;
    gchar *expected = g_strdup_printf ("Reply to turn %u.\n", i + 3);
    gchar *got = text_of_turn (text, start, i == 0 ? start + TURN_DURATION :
        GST_CLOCK_TIME_NONE);

    fail_unless_equals_string (got, expected);
    g_free (expected);
    g_free (got);
  }
  fail_unless (audio->len > 0, "no reply audio after the seek");
  for (i = 0; i < audio->len; i++) {
    Pulled *pulled = g_ptr_array_index (audio, i);

    fail_unless_equals_uint64 (pulled->segment_start, seek_to);
    fail_unless (pulled->pts >= seek_to);
  }

  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_string_free (after, TRUE);
  g_ptr_array_unref (text);
  g_ptr_array_unref (audio);
  gst_object_unref (audio_sink);
  gst_object_unref (text_sink);
  gst_object_unref (pipeline);
  realtime_test_server_free (server);
  g_free (url);
  g_free (wav);
}

GST_END_TEST;

/* ------------------------------------------------------------------ */
/* State changes */

static guint
count_entries (const gchar * dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  fail_unless (d != NULL);
  while (g_dir_read_name (d))
    n++;
  g_dir_close (d);
  return n;
}

#define N_CYCLES 100
/* Threads and descriptors that may come and go on their own (GLib's
 * worker pools keep idle threads for a while). */
#define SLACK 3

/* A live pipeline against the server. */
static GstElement *
make_live_pipeline (RealtimeTestServer * server)
{
  gchar *url = realtime_test_server_get_url (server);
  GstElement *pipeline = make_pipeline ("audiotestsrc is-live=true "
      "wave=sine volume=0.3 samplesperbuffer=480 ! audio/x-raw,format=S16LE,"
      "rate=24000,channels=1 ! realtimeai url=\"%s\" api-key=" TEST_KEY
      " name=ai ai.src ! fakesink async=false "
      "ai.text_src ! fakesink async=false", url);

  g_free (url);
  return pipeline;
}

/* Sets @state and checks it is reached at once (live: no preroll). */
static void
set_state (GstElement * pipeline, GstState state)
{
  GstStateChangeReturn ret = gst_element_set_state (pipeline, state);

  fail_unless (ret == GST_STATE_CHANGE_SUCCESS
      || ret == GST_STATE_CHANGE_NO_PREROLL, "going to %s: %s",
      gst_element_state_get_name (state),
      gst_element_state_change_return_get_name (ret));
}

/* Waits until the server gets audio it had not got before. */
static void
wait_for_more_audio (RealtimeTestServer * server)
{
  guint n = realtime_test_server_count_client_events (server,
      "input_audio_buffer.append");

  fail_unless (realtime_test_server_wait_for_client_event (server,
          "input_audio_buffer.append", n + 1, scaled_ms (5000)),
      "no audio reached the server");
}

static void
assert_no_error (GstElement * pipeline)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  GError *error = NULL;

  if (msg)
    gst_message_parse_error (msg, &error, NULL);
  fail_unless (msg == NULL, "error: %s", error ? error->message : "?");
  gst_object_unref (bus);
}

/* PLAYING and back to NULL, a hundred times, in every phase of the
 * session (connecting, or streaming): each time it returns at once, and
 * no thread, descriptor or connection is left behind. */
GST_START_TEST (test_play_stop_cycles)
{
  RealtimeTestServer *server = start_server (0);
  GstElement *pipeline = make_live_pipeline (server);
  guint threads = 0, fds = 0, i;

  for (i = 0; i <= N_CYCLES; i++) {
    gint64 start;

    set_state (pipeline, GST_STATE_PLAYING);
    /* every other time mid-stream, else while connecting */
    if (i % 2 == 0)
      wait_for_more_audio (server);
    start = g_get_monotonic_time ();
    fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
        GST_STATE_CHANGE_SUCCESS);
    fail_unless (g_get_monotonic_time () - start < scaled (GST_SECOND) / 1000,
        "going to NULL took %" G_GINT64_FORMAT " us",
        g_get_monotonic_time () - start);
    assert_no_error (pipeline);
    fail_unless (realtime_test_server_wait_for_open_connections (server, 0,
            scaled_ms (5000)), "a connection stayed open");
    /* the first round starts GLib's and GStreamer's own threads */
    if (i == 0) {
      threads = count_entries ("/proc/self/task");
      fds = count_entries ("/proc/self/fd");
    }
  }
  fail_unless (count_entries ("/proc/self/task") <= threads + SLACK,
      "%u threads, %u after the first round", count_entries
      ("/proc/self/task"), threads);
  fail_unless (count_entries ("/proc/self/fd") <= fds + SLACK,
      "%u descriptors, %u after the first round",
      count_entries ("/proc/self/fd"), fds);

  gst_object_unref (pipeline);
  realtime_test_server_free (server);
}

GST_END_TEST;

/* PLAYING and PAUSED, a hundred times, in one session: the connection
 * stays, and the audio goes on after each pause. */
GST_START_TEST (test_pause_resume_cycles)
{
  RealtimeTestServer *server = start_server (0);
  GstElement *pipeline = make_live_pipeline (server);
  guint threads, i;

  set_state (pipeline, GST_STATE_PLAYING);
  wait_for_more_audio (server);
  threads = count_entries ("/proc/self/task");
  for (i = 0; i < N_CYCLES; i++) {
    set_state (pipeline, GST_STATE_PAUSED);
    set_state (pipeline, GST_STATE_PLAYING);
    if (i % 10 == 0)
      wait_for_more_audio (server);
  }
  wait_for_more_audio (server);
  assert_no_error (pipeline);
  fail_unless_equals_int (realtime_test_server_get_connection_count (server),
      1);
  fail_unless (count_entries ("/proc/self/task") <= threads + SLACK);

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (pipeline);
  realtime_test_server_free (server);
}

GST_END_TEST;

/* A non-live conversation paused mid-stream: the file goes on being read
 * in PAUSED, the sinks preroll on what comes out (the reply on text_src,
 * a GAP on the idle audio pad), and after PLAYING the conversation goes
 * on where it was. */
GST_START_TEST (test_pause_mid_stream)
{
  Fixture f = { 0, };
  GPtrArray *text;
  guint64 offset = 0;
  gchar *all;
  guint i;

  fixture_setup (&f, 0, "output-modalities=text");
  fixture_watch_server_events (&f);
  fail_unless (gst_element_set_state (f.pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  for (i = 0; i < 3; i++) {
    fail_unless_equals_int (push_parts (&f, one_turn,
            G_N_ELEMENTS (one_turn), &offset), GST_FLOW_OK);
    if (i == 0)
      gst_element_set_state (f.pipeline, GST_STATE_PAUSED);
  }
  fail_unless (fixture_wait_server_event (&f, "response.done", 2,
          scaled_ms (10000)), "the file was not read on in PAUSED");
  fail_unless_equals_int (gst_element_get_state (f.pipeline, NULL, NULL,
          scaled (10 * GST_SECOND)), GST_STATE_CHANGE_SUCCESS);
  gst_element_set_state (f.pipeline, GST_STATE_PLAYING);
  gst_app_src_end_of_stream (GST_APP_SRC (f.appsrc));
  assert_eos (&f);

  text = collect (f.text_sink);
  all = all_text (text);
  fail_unless_equals_string (all,
      "Reply to turn 1.\nReply to turn 2.\nReply to turn 3.\n");
  fail_unless_equals_int (realtime_test_server_get_connection_count
      (f.server), 1);
  g_free (all);
  g_ptr_array_unref (text);
  fixture_teardown (&f);
}

GST_END_TEST;

/* ------------------------------------------------------------------ */
/* EOS before any audio */

/* Both source pads end at once; nothing is committed or asked for. */
GST_START_TEST (test_eos_with_nothing_sent)
{
  Fixture f = { 0, };

  fixture_setup (&f, 0, NULL);
  fail_unless (gst_element_set_state (f.pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  gst_app_src_end_of_stream (GST_APP_SRC (f.appsrc));
  assert_eos_within (f.pipeline, 2 * GST_SECOND);
  fail_unless (gst_app_sink_is_eos (GST_APP_SINK (f.audio_sink)));
  fail_unless (gst_app_sink_is_eos (GST_APP_SINK (f.text_sink)));
  fail_unless_equals_int (count_buffers (f.audio_sink), 0);
  fail_unless_equals_int (count_buffers (f.text_sink), 0);
  fail_unless_equals_int (realtime_test_server_count_client_events (f.server,
          "input_audio_buffer.commit"), 0);
  fail_unless_equals_int (realtime_test_server_count_client_events (f.server,
          "response.create"), 0);
  fail_unless_equals_int (realtime_test_server_count_client_events (f.server,
          "input_audio_buffer.append"), 0);
  fail_unless_equals_int (g_atomic_int_get (&f.n_warnings), 0);
  fixture_teardown (&f);
}

GST_END_TEST;

/* The same while the server has not even answered the handshake: with
 * nothing to send, EOS need not wait for it. */
GST_START_TEST (test_eos_with_nothing_sent_while_connecting)
{
  Fixture f = { 0, };

  fixture_setup (&f, REALTIME_TEST_FAULT_HANG_HANDSHAKE, NULL);
  fail_unless (gst_element_set_state (f.pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  gst_app_src_end_of_stream (GST_APP_SRC (f.appsrc));
  assert_eos_within (f.pipeline, 2 * GST_SECOND);
  fail_unless (gst_app_sink_is_eos (GST_APP_SINK (f.audio_sink)));
  fail_unless (gst_app_sink_is_eos (GST_APP_SINK (f.text_sink)));
  fixture_teardown (&f);
}

GST_END_TEST;

/* ------------------------------------------------------------------ */
/* Buffers without timestamps */

/* Pushes @parts with no PTS (nor duration) from buffer @from on. */
static void
push_untimestamped (Fixture * f, const Part * parts, guint n_parts, guint from)
{
  guint64 offset = 0;
  guint i, j, k = 0;

  for (i = 0; i < n_parts; i++) {
    guint n = (guint) (parts[i].seconds / 0.02 + 0.5);

    for (j = 0; j < n; j++, k++) {
      GstBuffer *buffer = make_audio (0.02, parts[i].tone, &offset);

      if (k >= from) {
        GST_BUFFER_PTS (buffer) = GST_CLOCK_TIME_NONE;
        GST_BUFFER_DURATION (buffer) = GST_CLOCK_TIME_NONE;
      }
      fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC
              (f->appsrc), buffer), GST_FLOW_OK);
    }
  }
}

/* Buffers without timestamps continue the ones before them, from the
 * start of the segment: the replies are stamped on their turns as they
 * would be with timestamps. */
static void
check_untimestamped (guint from)
{
  Fixture f = { 0, };
  GPtrArray *text;
  GArray *turns;
  guint i;

  fixture_setup (&f, 0, "output-modalities=text");
  fail_unless (gst_element_set_state (f.pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  push_untimestamped (&f, two_turns, G_N_ELEMENTS (two_turns), from);
  gst_app_src_end_of_stream (GST_APP_SRC (f.appsrc));
  assert_eos (&f);

  turns = server_turns (&f, 2);
  text = collect (f.text_sink);
  assert_monotonic (text);
  for (i = 0; i < turns->len; i++) {
    RealtimeTestTurn *turn = &g_array_index (turns, RealtimeTestTurn, i);
    gchar *expected = g_strdup_printf ("Reply to turn %u.\n", i + 1);
    gchar *got = text_between (text, ms_to_time (turn->audio_start_ms),
        i + 1 < turns->len ? ms_to_time (turn[1].audio_start_ms) :
        GST_CLOCK_TIME_NONE);

    fail_unless_equals_string (got, expected);
    g_free (got);
    g_free (expected);
  }
  g_ptr_array_unref (text);
  g_array_unref (turns);
  fixture_teardown (&f);
}

GST_START_TEST (test_no_timestamps)
{
  check_untimestamped (0);
}

GST_END_TEST;

GST_START_TEST (test_timestamps_stop)
{
  check_untimestamped (10);
}

GST_END_TEST;

static Suite *
pipeline_suite (void)
{
  Suite *s = suite_create ("pipeline");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_caps_change_to_mulaw);
  tcase_add_test (tc, test_flushing_seek);
  tcase_add_test (tc, test_play_stop_cycles);
  tcase_add_test (tc, test_pause_resume_cycles);
  tcase_add_test (tc, test_pause_mid_stream);
  tcase_add_test (tc, test_eos_with_nothing_sent);
  tcase_add_test (tc, test_eos_with_nothing_sent_while_connecting);
  tcase_add_test (tc, test_no_timestamps);
  tcase_add_test (tc, test_timestamps_stop);
  return s;
}

GST_CHECK_MAIN (pipeline);
