/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The realtimeai element against the bundled Realtime test server. */

#include <math.h>
#include <string.h>

#include "realtimefixture.h"

/* ------------------------------------------------------------------ */

GST_START_TEST (test_element_properties)
{
  static const gchar *pads[] = { "sink", "src", "text_src" };
  GstElement *ai = gst_element_factory_make ("realtimeai", NULL);
  gchar *url, *model;
  GParamSpec *key;
  guint i;

  fail_unless (ai != NULL);
  g_object_get (ai, "url", &url, "model", &model, NULL);
  fail_unless_equals_string (url, "wss://api.openai.com/v1/realtime");
  fail_unless_equals_string (model, "gpt-realtime-2");
  key = g_object_class_find_property (G_OBJECT_GET_CLASS (ai), "api-key");
  fail_unless (key != NULL);
  fail_if (key->flags & G_PARAM_READABLE, "api-key must be write-only");
  for (i = 0; i < G_N_ELEMENTS (pads); i++) {
    GstPad *pad = gst_element_get_static_pad (ai, pads[i]);

    fail_unless (pad != NULL, "no %s pad", pads[i]);
    gst_object_unref (pad);
  }

  g_free (url);
  g_free (model);
  gst_object_unref (ai);
}

GST_END_TEST;

/* What gst-inspect shows: a klass with Text (it outputs text), an author
 * with a contact, and the documentation's address. */
GST_START_TEST (test_element_metadata)
{
  GstElementFactory *factory = gst_element_factory_find ("realtimeai");
  const gchar *klass, *author, *doc;

  fail_unless (factory != NULL);
  klass = gst_element_factory_get_metadata (factory,
      GST_ELEMENT_METADATA_KLASS);
  author = gst_element_factory_get_metadata (factory,
      GST_ELEMENT_METADATA_AUTHOR);
  doc = gst_element_factory_get_metadata (factory,
      GST_ELEMENT_METADATA_DOC_URI);
  fail_unless_equals_string (klass, "Filter/Audio/Text/Network");
  fail_unless (strchr (author, '<') && strchr (author, '>'),
      "no contact in the author line '%s'", author);
  fail_unless (doc && g_str_has_prefix (doc, "https://"));
  gst_object_unref (factory);
}

GST_END_TEST;

/* request-response is the action; create-response, which shares its name
 * with a property, still works and is marked deprecated. */
GST_START_TEST (test_request_response_signal)
{
  GstElement *ai = gst_element_factory_make ("realtimeai", NULL);
  GSignalQuery query;

  g_signal_query (g_signal_lookup ("request-response", G_OBJECT_TYPE (ai)),
      &query);
  fail_unless_equals_string (query.signal_name, "request-response");
  fail_unless (query.signal_flags & G_SIGNAL_ACTION);
  fail_if (query.signal_flags & G_SIGNAL_DEPRECATED);
  fail_unless_equals_int (query.return_type, G_TYPE_BOOLEAN);
  g_signal_query (g_signal_lookup ("create-response", G_OBJECT_TYPE (ai)),
      &query);
  fail_unless_equals_string (query.signal_name, "create-response");
  fail_unless (query.signal_flags & G_SIGNAL_DEPRECATED);
  gst_object_unref (ai);
}

GST_END_TEST;

static void
run_three_turns (Fixture * f, RealtimeTestFault faults, const gchar * props)
{
  guint64 offset = 0;

  fixture_setup (f, faults, props);
  fail_unless (gst_element_set_state (f->pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (push_parts (f, three_turns,
          G_N_ELEMENTS (three_turns), &offset), GST_FLOW_OK);
  gst_app_src_end_of_stream (GST_APP_SRC (f->appsrc));
  assert_eos (f);
}

GST_START_TEST (test_audio_replies_per_turn)
{
  Fixture f = { 0, };
  gchar *barrier;
  GPtrArray *audio, *text;
  GArray *turns;
  guint i, n_discont = 0;

  run_three_turns (&f, 0, "");
  turns = server_turns (&f, 3);
  audio = collect (f.audio_sink);
  text = collect (f.text_sink);
  assert_monotonic (text);
  assert_monotonic (audio);

  /* each turn's transcript starts on the speech it answers */
  for (i = 0; i < turns->len; i++) {
    RealtimeTestTurn *turn = &g_array_index (turns, RealtimeTestTurn, i);
    GstClockTime next = i + 1 < turns->len ? ms_to_time (g_array_index (turns,
            RealtimeTestTurn, i + 1).audio_start_ms) : GST_CLOCK_TIME_NONE;
    gchar *expected = g_strdup_printf ("Reply to turn %u.", i + 1);
    gchar *got = text_between (text, ms_to_time (turn->audio_start_ms), next);

    fail_unless_equals_string (g_strstrip (got), expected);
    g_free (got);
    g_free (expected);
  }
  fail_unless_equals_uint64 (((Output *) g_ptr_array_index (text, 0))->pts,
      ms_to_time (g_array_index (turns, RealtimeTestTurn, 0).audio_start_ms));

  /* reply audio: one DISCONT stretch per response, after the turn ended */
  for (i = 0; i < audio->len; i++) {
    Output *out = g_ptr_array_index (audio, i);

    if (out->discont) {
      RealtimeTestTurn *turn = &g_array_index (turns, RealtimeTestTurn,
          n_discont);

      fail_unless (out->pts >= ms_to_time (turn->audio_end_ms));
      n_discont++;
    }
  }
  fail_unless_equals_int (n_discont, 3);
  /* the configuration, and at EOS an empty update that confirms the
   * server has seen all the audio (file input) */
  fail_unless_equals_int (realtime_test_server_count_client_events (f.server,
          "session.update"), 2);
  barrier = client_event_value (f.server, "session.update", 1, "$.session");
  fail_unless_equals_string (barrier, "{\"type\":\"realtime\"}");
  g_free (barrier);
  assert_client_events_valid (f.server, "audio-replies");

  g_ptr_array_unref (audio);
  g_ptr_array_unref (text);
  g_array_unref (turns);
  fixture_teardown (&f);
}

GST_END_TEST;

GST_START_TEST (test_text_replies_per_turn)
{
  Fixture f = { 0, };
  GPtrArray *audio, *text;
  GArray *turns;
  guint i;

  run_three_turns (&f, 0, "output-modalities=text instructions=\"Be brief.\"");
  turns = server_turns (&f, 3);
  audio = collect (f.audio_sink);
  text = collect (f.text_sink);
  assert_monotonic (text);

  fail_unless_equals_int (audio->len, 0);
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
  fail_unless_equals_int (g_atomic_int_get (&f.n_warnings), 0);
  assert_client_events_valid (f.server, "text-replies");

  g_ptr_array_unref (audio);
  g_ptr_array_unref (text);
  g_array_unref (turns);
  fixture_teardown (&f);
}

GST_END_TEST;

/* Input that ends mid-speech: the element commits it at EOS and waits for
 * the reply before it ends its pads. */
GST_START_TEST (test_eos_commits_and_drains)
{
  static const Part parts[] = {
    {0.5, FALSE}, {0.6, TRUE}, {1.0, FALSE}, {0.3, FALSE}, {0.8, TRUE},
  };
  Fixture f = { 0, };
  GPtrArray *text;
  guint64 offset = 0;
  gchar *all;

  fixture_setup (&f, 0, "output-modalities=text");
  gst_element_set_state (f.pipeline, GST_STATE_PLAYING);
  fail_unless_equals_int (push_parts (&f, parts, G_N_ELEMENTS (parts),
          &offset), GST_FLOW_OK);
  gst_app_src_end_of_stream (GST_APP_SRC (f.appsrc));
  assert_eos (&f);

  fail_unless_equals_int (realtime_test_server_count_client_events (f.server,
          "input_audio_buffer.commit"), 1);
  /* non-live input: the element asks for each reply, the one to the
   * turn cut off by EOS included */
  fail_unless_equals_int (realtime_test_server_count_client_events (f.server,
          "response.create"), 2);
  text = collect (f.text_sink);
  all = text_between (text, 0, GST_CLOCK_TIME_NONE);
  fail_unless_equals_string (all, "Reply to turn 1.\nReply to turn 2.\n");
  /* the second reply is stamped on the speech that was cut off by EOS,
   * which started at 2.4 s (the server pads 300 ms before the onset) */
  g_free (all);
  all = text_between (text, 2100 * GST_MSECOND, 2400 * GST_MSECOND);
  fail_unless (g_str_has_prefix (all, "Reply "), "got '%s'", all);
  assert_client_events_valid (f.server, "eos-drain");

  g_free (all);
  g_ptr_array_unref (text);
  fixture_teardown (&f);
}

GST_END_TEST;

/* Audio that ends in silence needs no commit, and EOS comes at once. */
GST_START_TEST (test_eos_without_pending_audio)
{
  static const Part parts[] = { {0.05, FALSE} };
  Fixture f = { 0, };
  guint64 offset = 0;

  fixture_setup (&f, 0, "");
  gst_element_set_state (f.pipeline, GST_STATE_PLAYING);
  fail_unless_equals_int (push_parts (&f, parts, G_N_ELEMENTS (parts),
          &offset), GST_FLOW_OK);
  gst_app_src_end_of_stream (GST_APP_SRC (f.appsrc));
  assert_eos (&f);
  fail_unless_equals_int (realtime_test_server_count_client_events (f.server,
          "input_audio_buffer.commit"), 0);
  fixture_teardown (&f);
}

GST_END_TEST;

GST_START_TEST (test_refused_key)
{
  Fixture f = { 0, };

  fixture_setup (&f, REALTIME_TEST_FAULT_REFUSE_KEY, "");
  play_and_push (&f, three_turns, 2);
  assert_error (&f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED,
      "401");
  fixture_teardown (&f);
}

GST_END_TEST;

GST_START_TEST (test_bearer_header)
{
  Fixture f = { 0, };
  gchar *auth;

  run_three_turns (&f, 0, "");
  auth = realtime_test_server_get_last_authorization (f.server);
  fail_unless_equals_string (auth, "Bearer " TEST_KEY);
  g_free (auth);
  fixture_teardown (&f);
}

GST_END_TEST;

/* The text of the last progress message of type ERROR is @text. */
static void
assert_progress_error (Fixture * f, const gchar * text)
{
  GPtrArray *progress = fixture_messages (f, "progress");
  const gchar *last = NULL;
  gint type;
  guint i;

  for (i = 0; i < progress->len; i++) {
    GstStructure *s = g_ptr_array_index (progress, i);

    if (gst_structure_get_int (s, "type", &type)
        && type == GST_PROGRESS_TYPE_ERROR)
      last = gst_structure_get_string (s, "text");
  }
  fail_unless_equals_string (last, text);
  g_ptr_array_unref (progress);
}

GST_START_TEST (test_unreachable_host)
{
  Fixture f = { 0, };
  GstElement *ai;
  GSocketListener *listener = g_socket_listener_new ();
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, NULL);
  gchar *url;

  /* a port that was free a moment ago: nothing listens there now */
  g_socket_listener_close (listener);
  g_object_unref (listener);
  fixture_setup (&f, 0, "");
  ai = f.ai;
  url = g_strdup_printf ("ws://127.0.0.1:%u/v1/realtime", port);
  g_object_set (ai, "url", url, NULL);
  play_and_push (&f, three_turns, 2);
  assert_error (&f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE,
      NULL);
  /* it never connected, so nothing was lost */
  assert_progress_error (&f, "Could not connect to the server.");
  g_free (url);
  fixture_teardown (&f);
}

GST_END_TEST;

/* A server whose certificate nobody vouches for is refused. */
GST_START_TEST (test_untrusted_certificate)
{
  Fixture f = { 0, };
  gchar *pem = g_build_filename (g_getenv ("REALTIME_TEST_DATA"),
      "selfsigned.pem", NULL);
  GError *error = NULL;
  GTlsCertificate *cert = g_tls_certificate_new_from_file (pem, &error);
  RealtimeTestServer *tls_server = realtime_test_server_new ();
  gchar *url;

  fail_unless (cert != NULL, "%s", error ? error->message : "?");
  fail_unless (realtime_test_server_start (tls_server, 0, cert, &error));
  url = realtime_test_server_get_url (tls_server);
  fail_unless (g_str_has_prefix (url, "wss://"));

  fixture_setup (&f, 0, "");
  g_object_set (f.ai, "url", url, NULL);
  play_and_push (&f, three_turns, 2);
  assert_error (&f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE,
      "secure connection");
  fail_unless_equals_int (realtime_test_server_get_connection_count
      (tls_server), 0);

  fixture_teardown (&f);
  realtime_test_server_free (tls_server);
  g_object_unref (cert);
  g_free (url);
  g_free (pem);
}

GST_END_TEST;

/* With reconnection off, a close is the end (see reconnect.c for on). */
GST_START_TEST (test_server_closes_mid_response)
{
  Fixture f = { 0, };

  fixture_setup (&f, REALTIME_TEST_FAULT_CLOSE_MID_RESPONSE, "reconnect=false");
  play_and_push (&f, three_turns, G_N_ELEMENTS (three_turns));
  assert_error (&f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ, "1011");
  fixture_teardown (&f);
}

GST_END_TEST;

GST_START_TEST (test_server_error_event)
{
  Fixture f = { 0, };

  fixture_setup (&f, REALTIME_TEST_FAULT_ERROR_EVENT, "instructions=x");
  play_and_push (&f, three_turns, 2);
  assert_error (&f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
      "session.instructions");
  fixture_teardown (&f);
}

GST_END_TEST;

/* Frames that are no valid events are reported and skipped; the replies
 * still come complete. */
GST_START_TEST (test_malformed_frames)
{
  Fixture f = { 0, };
  GPtrArray *text;
  gchar *all;

  run_three_turns (&f, REALTIME_TEST_FAULT_MALFORMED_FRAMES,
      "output-modalities=text");
  fail_unless (g_atomic_int_get (&f.n_warnings) > 0,
      "no warning for the malformed frames");

  text = collect (f.text_sink);
  all = text_between (text, 0, GST_CLOCK_TIME_NONE);
  fail_unless_equals_string (all,
      "Reply to turn 1.\nReply to turn 2.\nReply to turn 3.\n");
  g_free (all);
  g_ptr_array_unref (text);
  fixture_teardown (&f);
}

GST_END_TEST;

/* Going to NULL while a slow response streams returns promptly. */
GST_START_TEST (test_null_mid_response)
{
  Fixture f = { 0, };
  GstSample *sample;
  gint64 start;

  fixture_setup (&f, REALTIME_TEST_FAULT_SLOW, "");
  play_and_push (&f, three_turns, 3);
  fail_unless (realtime_test_server_wait_for_client_event (f.server,
          "input_audio_buffer.append", 30, 5000));
  /* the server answered the turn and is between two slow deltas */
  sample = gst_app_sink_try_pull_sample (GST_APP_SINK (f.text_sink),
      5 * GST_SECOND);
  fail_unless (sample != NULL, "no reply started");
  gst_sample_unref (sample);

  start = g_get_monotonic_time ();
  fail_unless_equals_int (gst_element_set_state (f.pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  fail_unless (g_get_monotonic_time () - start < G_USEC_PER_SEC,
      "going to NULL took %" G_GINT64_FORMAT " us",
      g_get_monotonic_time () - start);
  fixture_teardown (&f);
}

GST_END_TEST;

/* A server that never answers the handshake fails the element after
 * connect-timeout, rather than leaving it waiting forever. */
GST_START_TEST (test_handshake_timeout)
{
  Fixture f = { 0, };
  gint64 start = g_get_monotonic_time ();

  fixture_setup (&f, REALTIME_TEST_FAULT_HANG_HANDSHAKE, "connect-timeout=1");
  play_and_push (&f, three_turns, 1);
  assert_error (&f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE,
      "in time");
  fail_unless (g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC);
  fixture_teardown (&f);
}

GST_END_TEST;

/* Going to NULL while the handshake hangs returns promptly. */
GST_START_TEST (test_null_while_connecting)
{
  Fixture f = { 0, };
  gint64 start;

  fixture_setup (&f, REALTIME_TEST_FAULT_HANG_HANDSHAKE, "");
  play_and_push (&f, three_turns, 1);
  fail_unless (realtime_test_server_get_connection_count (f.server) <= 1);

  start = g_get_monotonic_time ();
  fail_unless_equals_int (gst_element_set_state (f.pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  fail_unless (g_get_monotonic_time () - start < G_USEC_PER_SEC);
  fixture_teardown (&f);
}

GST_END_TEST;

/* The recommended models by default, in the URL and the transcription
 * session; the older names still go through as they are. */
GST_START_TEST (test_default_models)
{
  static const struct
  {
    const gchar *props;
    const gchar *query;
    const gchar *transcription_model;
  } cases[] = {
    {"", "model=gpt-realtime-2", NULL},
    {"model=gpt-realtime", "model=gpt-realtime", NULL},
    {"session-type=transcription", "intent=transcription",
        "gpt-live-transcribe"},
    {"session-type=transcription transcription-model=gpt-4o-mini-transcribe",
        "intent=transcription", "gpt-4o-mini-transcribe"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    Fixture f = { 0, };
    gchar *query, *model;

    fixture_setup (&f, 0, cases[i].props);
    run_parts (&f, three_turns, 3);
    query = realtime_test_server_get_last_request_query (f.server);
    fail_unless_equals_string (query, cases[i].query);
    model = client_event_value (f.server, "session.update", 0,
        "$.session.audio.input.transcription.model");
    fail_unless_equals_string (model, cases[i].transcription_model);
    g_free (model);
    g_free (query);
    fixture_teardown (&f);
  }
}

GST_END_TEST;

static Suite *
realtimeai_suite (void)
{
  Suite *s = suite_create ("realtimeai");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_element_properties);
  tcase_add_test (tc, test_element_metadata);
  tcase_add_test (tc, test_request_response_signal);
  tcase_add_test (tc, test_default_models);
  tcase_add_test (tc, test_audio_replies_per_turn);
  tcase_add_test (tc, test_text_replies_per_turn);
  tcase_add_test (tc, test_eos_commits_and_drains);
  tcase_add_test (tc, test_eos_without_pending_audio);
  tcase_add_test (tc, test_bearer_header);
  tcase_add_test (tc, test_refused_key);
  tcase_add_test (tc, test_unreachable_host);
  tcase_add_test (tc, test_untrusted_certificate);
  tcase_add_test (tc, test_server_closes_mid_response);
  tcase_add_test (tc, test_server_error_event);
  tcase_add_test (tc, test_malformed_frames);
  tcase_add_test (tc, test_null_mid_response);
  tcase_add_test (tc, test_handshake_timeout);
  tcase_add_test (tc, test_null_while_connecting);
  return s;
}

GST_CHECK_MAIN (realtimeai);
