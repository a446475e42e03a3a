/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Keys and transport: private CAs, strict TLS, no key over plain ws:// to
 * another machine, and the key in no log line, message or dump. */

#include <string.h>

#include "realtimefixture.h"

static const Part one_turn[] = { {0.5, FALSE}, {0.6, TRUE}, {1.0, FALSE} };

static gchar *
data_path (const gchar * name)
{
  return g_build_filename (g_getenv ("REALTIME_TEST_DATA"), name, NULL);
}

/* A wss:// server with the self-signed certificate of the test data. */
static RealtimeTestServer *
start_tls_server (void)
{
  gchar *pem = data_path ("selfsigned.pem");
  GTlsCertificate *cert = g_tls_certificate_new_from_file (pem, NULL);
  RealtimeTestServer *server = realtime_test_server_new ();

  fail_unless (cert != NULL);
  realtime_test_server_set_api_key (server, TEST_KEY);
  fail_unless (realtime_test_server_start (server, 0, cert, NULL));
  g_object_unref (cert);
  g_free (pem);
  return server;
}

static void
check_tls_session (const gchar * props)
{
  Fixture f = { 0, };
  FixtureOptions options = { 0, };
  GPtrArray *text;
  gchar *all;

  options.server = start_tls_server ();
  options.props = props;
  fixture_setup_with (&f, &options);
  run_parts (&f, one_turn, G_N_ELEMENTS (one_turn));
  text = collect (f.text_sink);
  all = all_text (text);
  fail_unless_equals_string (all, "Reply to turn 1.\n");
  g_free (all);
  g_ptr_array_unref (text);
  fixture_teardown (&f);
}

GST_START_TEST (test_private_ca)
{
  gchar *pem = data_path ("selfsigned.pem");
  gchar *props = g_strdup_printf ("output-modalities=text tls-ca-file=\"%s\"",
      pem);

  check_tls_session (props);
  g_free (props);
  g_free (pem);
}

GST_END_TEST;

GST_START_TEST (test_tls_strict_off_accepts_any_certificate)
{
  check_tls_session ("output-modalities=text tls-strict=false");
}

GST_END_TEST;

GST_START_TEST (test_unreadable_ca_file)
{
  Fixture f = { 0, };

  fixture_setup (&f, 0, "tls-ca-file=/nonexistent/ca.pem");
  fail_unless_equals_int (gst_element_set_state (f.pipeline,
          GST_STATE_PLAYING), GST_STATE_CHANGE_FAILURE);
  assert_error (&f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
      "/nonexistent/ca.pem");
  fixture_teardown (&f);
}

GST_END_TEST;

/* ws:// to an address that is not this machine (TEST-NET-1) */
#define REMOTE_PLAIN_URL "ws://192.0.2.1:9/v1/realtime"

GST_START_TEST (test_no_key_over_plain_ws_to_another_machine)
{
  Fixture f = { 0, };

  fixture_setup (&f, 0, "connect-timeout=1");
  g_object_set (f.ai, "url", REMOTE_PLAIN_URL, NULL);
  fail_unless_equals_int (gst_element_set_state (f.pipeline,
          GST_STATE_PLAYING), GST_STATE_CHANGE_FAILURE);
  assert_error (&f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
      "unencrypted");
  fixture_teardown (&f);

  /* allowed explicitly, it tries (and here fails to connect) */
  fixture_setup (&f, 0, "connect-timeout=1 allow-plain-key=true");
  g_object_set (f.ai, "url", REMOTE_PLAIN_URL, NULL);
  play_and_push (&f, one_turn, 1);
  assert_error (&f, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE,
      NULL);
  fixture_teardown (&f);
}

GST_END_TEST;

static GRecMutex log_lock;
static GString *logs;           /* NULL when not capturing */

static void
capture_gst_log (GstDebugCategory * category, GstDebugLevel level,
    const gchar * file, const gchar * function, gint line, GObject * object,
    GstDebugMessage * message, gpointer user_data)
{
  /* formatting may log in turn, so it happens outside the lock */
  const gchar *text = gst_debug_message_get (message);

  g_rec_mutex_lock (&log_lock);
  if (logs)
    g_string_append_printf (logs, "%s\n", text);
  g_rec_mutex_unlock (&log_lock);
}

static void
capture_glib_log (const gchar * domain, GLogLevelFlags level,
    const gchar * message, gpointer user_data)
{
  g_rec_mutex_lock (&log_lock);
  if (logs)
    g_string_append_printf (logs, "%s: %s\n", GST_STR_NULL (domain), message);
  g_rec_mutex_unlock (&log_lock);
}

/* Everything at the most verbose level, GLib's and libsoup's debug output
 * included, while a session runs. The pipeline's threads may still be in
 * a log function after it is removed: what they log then is dropped. */
static GString *
run_with_full_debug (Fixture * f)
{
  GLogFunc old_handler;
  GString *captured;

  logs = g_string_new (NULL);
  gst_debug_remove_log_function (gst_debug_log_default);
  gst_debug_add_log_function (capture_gst_log, NULL, NULL);
  gst_debug_set_default_threshold (GST_LEVEL_MEMDUMP);
  old_handler = g_log_set_default_handler (capture_glib_log, NULL);

  run_parts (f, one_turn, G_N_ELEMENTS (one_turn));

  gst_debug_set_default_threshold (GST_LEVEL_NONE);
  g_log_set_default_handler (old_handler, NULL);
  gst_debug_remove_log_function (capture_gst_log);
  gst_debug_add_log_function (gst_debug_log_default, NULL, NULL);

  g_rec_mutex_lock (&log_lock);
  captured = logs;
  logs = NULL;
  g_rec_mutex_unlock (&log_lock);
  return captured;
}

GST_START_TEST (test_key_never_shows)
{
  Fixture f = { 0, };
  GPtrArray *messages;
  GParamSpec *pspec;
  GString *text;
  gchar *dot;
  guint i;

  fixture_setup (&f, 0, "output-modalities=text");
  text = run_with_full_debug (&f);

  fail_unless (text->len > 100000, "too little debug output to tell: %"
      G_GSIZE_FORMAT " bytes", text->len);
  fail_unless (strstr (text->str, "session.update") != NULL);
  fail_if (strstr (text->str, TEST_KEY) != NULL, "the key is in the logs");

  dot = gst_debug_bin_to_dot_data (GST_BIN (f.pipeline),
      GST_DEBUG_GRAPH_SHOW_ALL);
  fail_if (strstr (dot, TEST_KEY) != NULL, "the key is in the dot dump");
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (f.ai), "api-key");
  fail_if (pspec->flags & G_PARAM_READABLE, "the key can be read back");

  messages = fixture_messages (&f, "realtime-response-done");
  fail_unless (messages->len > 0);
  g_ptr_array_unref (messages);
  g_mutex_lock (&f.lock);
  for (i = 0; i < f.messages->len; i++) {
    gchar *s = gst_structure_to_string (g_ptr_array_index (f.messages, i));

    fail_if (strstr (s, TEST_KEY) != NULL, "the key is in a message");
    g_free (s);
  }
  g_mutex_unlock (&f.lock);

  g_free (dot);
  g_string_free (text, TRUE);
  fixture_teardown (&f);
}

GST_END_TEST;

static Suite *
security_suite (void)
{
  Suite *s = suite_create ("security");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_private_ca);
  tcase_add_test (tc, test_tls_strict_off_accepts_any_certificate);
  tcase_add_test (tc, test_unreadable_ca_file);
  tcase_add_test (tc, test_no_key_over_plain_ws_to_another_machine);
  tcase_add_test (tc, test_key_never_shows);
  return s;
}

GST_CHECK_MAIN (security);
