/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Providers and authentication: Azure GA and preview (beta shape), the
 * api-key header, ephemeral keys, extra headers. */

#include "realtimefixture.h"

static const Part one_turn[] = { {0.5, FALSE}, {0.6, TRUE}, {1.0, FALSE} };

static void
assert_header (Fixture * f, const gchar * name, const gchar * expected)
{
  gchar *value = realtime_test_server_get_last_request_header (f->server,
      name);

  fail_unless (g_strcmp0 (value, expected) == 0, "header %s: expected %s, "
      "got %s", name, GST_STR_NULL (expected), GST_STR_NULL (value));
  g_free (value);
}

static void
assert_three_replies (Fixture * f)
{
  GPtrArray *text = collect (f->text_sink);
  gchar *all = all_text (text);

  fail_unless_equals_string (all,
      "Reply to turn 1.\nReply to turn 2.\nReply to turn 3.\n");
  fail_unless (count_buffers (f->audio_sink) > 0);
  g_free (all);
  g_ptr_array_unref (text);
}

GST_START_TEST (test_azure_ga)
{
  Fixture f = { 0, };
  FixtureOptions options = { 0, };
  gchar *query;

  options.path = "/openai/v1/realtime?model=my-deployment";
  fixture_setup_with (&f, &options);
  run_parts (&f, three_turns, N_THREE_TURNS);

  assert_header (&f, "api-key", TEST_KEY);
  assert_header (&f, "Authorization", NULL);
  assert_header (&f, "OpenAI-Beta", NULL);
  query = realtime_test_server_get_last_request_query (f.server);
  fail_unless_equals_string (query, "model=my-deployment");
  g_free (query);
  assert_client_event_value (f.server, "session.update", "$.session.type",
      "realtime");
  assert_three_replies (&f);
  assert_client_events_valid (f.server, "azure-ga");
  fixture_teardown (&f);
}

GST_END_TEST;

/* The preview endpoint speaks the beta shape, in both directions. */
GST_START_TEST (test_azure_preview_beta)
{
  Fixture f = { 0, };
  FixtureOptions options = { 0, };

  options.path = "/openai/realtime?api-version=2025-04-01-preview"
      "&deployment=my-deployment";
  options.props = "transcription-model=whisper-1 voice=alloy";
  fixture_setup_with (&f, &options);
  run_parts (&f, three_turns, N_THREE_TURNS);

  assert_header (&f, "api-key", TEST_KEY);
  assert_client_event_value (f.server, "session.update",
      "$.session.input_audio_format", "pcm16");
  assert_client_event_value (f.server, "session.update",
      "$.session.input_audio_transcription.model", "whisper-1");
  assert_client_event_value (f.server, "session.update", "$.session.voice",
      "alloy");
  fail_unless (client_event_value (f.server, "session.update", 0,
          "$.session.type") == NULL);
  assert_three_replies (&f);
  fail_unless_equals_int (g_atomic_int_get (&f.n_warnings), 0);
  assert_client_events_valid_in (f.server, "azure-preview", TRUE);
  fixture_teardown (&f);
}

GST_END_TEST;

/* protocol=beta on a plain URL: the OpenAI-Beta header and a Bearer key */
GST_START_TEST (test_forced_beta)
{
  Fixture f = { 0, };

  fixture_setup (&f, 0, "protocol=beta output-modalities=text");
  run_parts (&f, one_turn, G_N_ELEMENTS (one_turn));
  assert_header (&f, "OpenAI-Beta", "realtime=v1");
  assert_header (&f, "Authorization", "Bearer " TEST_KEY);
  assert_client_event_value (f.server, "session.update",
      "$.session.modalities", "[\"text\"]");
  assert_client_events_valid_in (f.server, "forced-beta", TRUE);
  fixture_teardown (&f);
}

GST_END_TEST;

GST_START_TEST (test_azure_key_from_environment)
{
  Fixture f = { 0, };
  FixtureOptions options = { 0, };
  gchar *url;

  g_setenv ("AZURE_OPENAI_API_KEY", TEST_KEY, TRUE);
  g_setenv ("OPENAI_API_KEY", "sk-not-this-one", TRUE);
  options.server = start_server (0);
  url = g_strdup_printf ("ws://127.0.0.1:%u/openai/v1/realtime?model=dep",
      realtime_test_server_get_port (options.server));
  f.server = options.server;
  f.pipeline = make_pipeline ("appsrc name=in format=time "
      "caps=audio/x-raw,format=S16LE,rate=24000,channels=1,layout=interleaved "
      "! realtimeai name=ai url=\"%s\" output-modalities=text "
      "ai.src ! fakesink ai.text_src ! fakesink", url);
  fail_unless (gst_element_set_state (f.pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  fail_unless (realtime_test_server_wait_for_client_event (f.server,
          "session.update", 1, 10000));
  assert_header (&f, "api-key", TEST_KEY);

  g_unsetenv ("AZURE_OPENAI_API_KEY");
  g_unsetenv ("OPENAI_API_KEY");
  gst_element_set_state (f.pipeline, GST_STATE_NULL);
  gst_object_unref (f.pipeline);
  realtime_test_server_free (f.server);
  g_free (url);
}

GST_END_TEST;

GST_START_TEST (test_ephemeral_key_and_extra_headers)
{
  Fixture f = { 0, };
  FixtureOptions options = { 0, };
  const gchar *secret = "ek_68af296e8e408191a1120ab6383263c2";
  gchar *bearer = g_strconcat ("Bearer ", secret, NULL);

  options.server = start_server (0);
  realtime_test_server_set_api_key (options.server, secret);
  options.props = "output-modalities=text extra-headers=\"headers,"
      "OpenAI-Project=proj_123,OpenAI-Organization=org_456\"";
  fixture_setup_with (&f, &options);
  g_object_set (f.ai, "api-key", secret, NULL);
  run_parts (&f, one_turn, G_N_ELEMENTS (one_turn));

  assert_header (&f, "Authorization", bearer);
  assert_header (&f, "OpenAI-Project", "proj_123");
  assert_header (&f, "OpenAI-Organization", "org_456");
  g_free (bearer);
  fixture_teardown (&f);
}

GST_END_TEST;

static Suite *
providers_suite (void)
{
  Suite *s = suite_create ("providers");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_azure_ga);
  tcase_add_test (tc, test_azure_preview_beta);
  tcase_add_test (tc, test_forced_beta);
  tcase_add_test (tc, test_azure_key_from_environment);
  tcase_add_test (tc, test_ephemeral_key_and_extra_headers);
  return s;
}

GST_CHECK_MAIN (providers);
