/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "realtimefixture.h"

/* Three turns: speech-like tone bursts separated by silence. */
const Part three_turns[N_THREE_TURNS] = {
  {0.5, FALSE}, {0.6, TRUE}, {1.0, FALSE},
  {0.5, FALSE}, {0.6, TRUE}, {1.0, FALSE},
  {0.5, FALSE}, {0.6, TRUE}, {1.0, FALSE},
};

RealtimeTestServer *
start_server (RealtimeTestFault faults)
{
  RealtimeTestServer *server = realtime_test_server_new ();
  GError *error = NULL;

  realtime_test_server_set_api_key (server, TEST_KEY);
  realtime_test_server_set_faults (server, faults);
  realtime_test_server_set_slow_ms (server, 300);
  fail_unless (realtime_test_server_start (server, 0, NULL, &error),
      "server did not start: %s", error ? error->message : "?");
  return server;
}

GstElement *
make_pipeline (const gchar * description, ...)
{
  GError *error = NULL;
  GstElement *pipeline;
  gchar *launch;
  va_list args;

  va_start (args, description);
  launch = g_strdup_vprintf (description, args);
  va_end (args);
  pipeline = gst_parse_launch_full (launch, NULL, GST_PARSE_FLAG_FATAL_ERRORS,
      &error);
  fail_unless (pipeline != NULL, "could not build '%s': %s", launch,
      error ? error->message : "?");
  g_free (launch);
  return pipeline;
}

/* A progress message, kept among the element messages as a structure
 * "progress" with its type (GstProgressType), code and text. */
static void
add_progress (Fixture * f, GstMessage * msg)
{
  GstProgressType type;
  gchar *code, *text;

  gst_message_parse_progress (msg, &type, &code, &text);
  g_mutex_lock (&f->lock);
  g_ptr_array_add (f->messages, gst_structure_new ("progress", "type",
          G_TYPE_INT, type, "code", G_TYPE_STRING, code, "text",
          G_TYPE_STRING, text, NULL));
  g_cond_broadcast (&f->cond);
  g_mutex_unlock (&f->lock);
  g_free (code);
  g_free (text);
}

static GstBusSyncReply
watch_bus (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  Fixture *f = user_data;

  if (GST_MESSAGE_SRC (msg) != GST_OBJECT (f->ai))
    return GST_BUS_PASS;
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING) {
    GError *error;

    gst_message_parse_warning (msg, &error, NULL);
    g_mutex_lock (&f->lock);
    g_ptr_array_add (f->warnings, error);
    g_atomic_int_inc (&f->n_warnings);
    g_cond_broadcast (&f->cond);
    g_mutex_unlock (&f->lock);
  }
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_PROGRESS)
    add_progress (f, msg);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT) {
    g_mutex_lock (&f->lock);
    g_ptr_array_add (f->messages,
        gst_structure_copy (gst_message_get_structure (msg)));
    g_cond_broadcast (&f->cond);
    g_mutex_unlock (&f->lock);
  }
  return GST_BUS_PASS;
}

static gchar *
server_url (const FixtureOptions * options, RealtimeTestServer * server)
{
  if (!options->path)
    return realtime_test_server_get_url (server);
  return g_strdup_printf ("ws://127.0.0.1:%u%s",
      realtime_test_server_get_port (server), options->path);
}

/* Generous, so that replies still come in time under valgrind on a busy
 * machine; the tests about the timeout set their own. */
#define DRAIN_TIMEOUT_MS 60000

/* CK_TIMEOUT_MULTIPLIER: valgrind runs take longer, waits too. */
guint
timeout_multiplier (void)
{
  const gchar *multiplier = g_getenv ("CK_TIMEOUT_MULTIPLIER");

  return multiplier ? MAX (1, atoi (multiplier)) : 1;
}

/* What a test that failed without its teardown left running (CK_FORK=no,
 * as under valgrind): stopped by the next setup, so one failure does not
 * become a crash in the tests after it. */
static GstElement *leftover_pipeline;
static RealtimeTestServer *leftover_server;

static void
stop_leftovers (void)
{
  GstBus *bus;

  if (!leftover_pipeline)
    return;
  bus = gst_element_get_bus (leftover_pipeline);
  gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
  gst_object_unref (bus);
  gst_element_set_state (leftover_pipeline, GST_STATE_NULL);
  g_clear_pointer (&leftover_pipeline, gst_object_unref);
  g_clear_pointer (&leftover_server, realtime_test_server_free);
}

/* appsrc [! before] ! realtimeai ! [audio_caps !] appsink (audio),
 * realtimeai.text_src ! appsink (text) */
void
fixture_setup_with (Fixture * f, const FixtureOptions * options)
{
  static gsize at_exit = 0;
  GstBus *bus;
  gchar *url;

  /* also before gst_deinit(), which would wait for their threads */
  if (g_once_init_enter (&at_exit)) {
    atexit (stop_leftovers);
    g_once_init_leave (&at_exit, 1);
  }
  stop_leftovers ();
  f->server = options->server ? options->server :
      start_server (options->faults);
  f->messages = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_structure_free);
  f->warnings = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_error_free);
  g_mutex_init (&f->lock);
  g_cond_init (&f->cond);
  url = server_url (options, f->server);
  f->pipeline = make_pipeline ("appsrc name=in format=time "
      "caps=audio/x-raw,format=S16LE,rate=24000,channels=1,layout=interleaved "
      "! %s%s realtimeai name=ai url=\"%s\" api-key=" TEST_KEY
      " drain-timeout=%u %s "
      "ai.src ! %s%s appsink name=audio sync=false wait-on-eos=false "
      "ai.text_src ! appsink name=text sync=false wait-on-eos=false",
      options->before ? options->before : "", options->before ? " !" : "",
      url, DRAIN_TIMEOUT_MS * timeout_multiplier (),
      options->props ? options->props : "",
      options->audio_caps ? options->audio_caps : "",
      options->audio_caps ? " !" : "");
  g_free (url);
  f->appsrc = gst_bin_get_by_name (GST_BIN (f->pipeline), "in");
  f->ai = gst_bin_get_by_name (GST_BIN (f->pipeline), "ai");
  f->audio_sink = gst_bin_get_by_name (GST_BIN (f->pipeline), "audio");
  f->text_sink = gst_bin_get_by_name (GST_BIN (f->pipeline), "text");
  bus = gst_element_get_bus (f->pipeline);
  gst_bus_set_sync_handler (bus, watch_bus, f, NULL);
  gst_object_unref (bus);
  leftover_pipeline = gst_object_ref (f->pipeline);
  leftover_server = f->server;
}

void
fixture_setup (Fixture * f, RealtimeTestFault faults, const gchar * props)
{
  FixtureOptions options = { 0, };

  options.faults = faults;
  options.props = props;
  fixture_setup_with (f, &options);
}

/* Copies of the element messages named @name posted so far. */
GPtrArray *
fixture_messages (Fixture * f, const gchar * name)
{
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_structure_free);
  guint i;

  g_mutex_lock (&f->lock);
  for (i = 0; i < f->messages->len; i++) {
    GstStructure *s = g_ptr_array_index (f->messages, i);

    if (gst_structure_has_name (s, name))
      g_ptr_array_add (found, gst_structure_copy (s));
  }
  g_mutex_unlock (&f->lock);
  return found;
}

static guint
count_warnings_locked (Fixture * f, GQuark domain, gint code,
    const gchar * fragment)
{
  guint i, n = 0;

  for (i = 0; i < f->warnings->len; i++) {
    GError *error = g_ptr_array_index (f->warnings, i);

    n += error->domain == domain && error->code == code && (!fragment
        || strstr (error->message, fragment));
  }
  return n;
}

guint
fixture_count_warnings (Fixture * f, GQuark domain, gint code,
    const gchar * fragment)
{
  guint n;

  g_mutex_lock (&f->lock);
  n = count_warnings_locked (f, domain, code, fragment);
  g_mutex_unlock (&f->lock);
  return n;
}

/* Waits until @count warnings match, or @timeout_ms passed. */
gboolean
fixture_wait_warnings (Fixture * f, GQuark domain, gint code,
    const gchar * fragment, guint count, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;
  gboolean reached;

  g_mutex_lock (&f->lock);
  while (!(reached = count_warnings_locked (f, domain, code, fragment)
          >= count) && g_cond_wait_until (&f->cond, &f->lock, deadline));
  g_mutex_unlock (&f->lock);
  return reached;
}

void
fixture_teardown (Fixture * f)
{
  g_clear_pointer (&leftover_pipeline, gst_object_unref);
  leftover_server = NULL;
  fail_unless_equals_int (gst_element_set_state (f->pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (f->appsrc);
  gst_object_unref (f->ai);
  gst_object_unref (f->audio_sink);
  gst_object_unref (f->text_sink);
  gst_object_unref (f->pipeline);
  realtime_test_server_free (f->server);
  g_ptr_array_unref (f->messages);
  g_ptr_array_unref (f->warnings);
  if (f->server_events)
    g_ptr_array_unref (f->server_events);
  g_mutex_clear (&f->lock);
  g_cond_clear (&f->cond);
}

GstBuffer *
make_audio (gdouble seconds, gboolean tone, guint64 * offset)
{
  guint n = (guint) (seconds * RATE);
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, n * 2, NULL);
  GstMapInfo map;
  gint16 *samples;
  guint i;

  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  samples = (gint16 *) map.data;
  for (i = 0; i < n; i++)
    samples[i] = tone ? (gint16) (8000 * sin (2 * G_PI * 440 *
            (*offset + i) / RATE)) : 0;
  gst_buffer_unmap (buffer, &map);

  GST_BUFFER_PTS (buffer) = gst_util_uint64_scale_int (*offset, GST_SECOND,
      RATE);
  GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale_int (n, GST_SECOND,
      RATE);
  *offset += n;
  return buffer;
}

/* Pushes @parts in 20 ms buffers, stopping at the first refused one. */
GstFlowReturn
push_parts (Fixture * f, const Part * parts, guint n_parts, guint64 * offset)
{
  GstFlowReturn ret = GST_FLOW_OK;
  guint i, j;

  for (i = 0; i < n_parts && ret == GST_FLOW_OK; i++) {
    guint n_buffers = (guint) (parts[i].seconds / 0.02 + 0.5);

    for (j = 0; j < n_buffers && ret == GST_FLOW_OK; j++)
      ret = gst_app_src_push_buffer (GST_APP_SRC (f->appsrc),
          make_audio (0.02, parts[i].tone, offset));
  }
  return ret;
}

/* Waits for EOS or an error; returns the message (or NULL on timeout). */
GstMessage *
wait_for_end (Fixture * f, GstClockTime timeout)
{
  GstBus *bus = gst_element_get_bus (f->pipeline);
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, timeout,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);

  gst_object_unref (bus);
  return msg;
}

void
assert_eos (Fixture * f)
{
  GstMessage *msg = wait_for_end (f, PIPELINE_TIMEOUT * timeout_multiplier ());

  fail_unless (msg != NULL, "pipeline did not end in time");
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *error;
    gchar *debug;

    gst_message_parse_error (msg, &error, &debug);
    fail ("unexpected error: %s (%s)", error->message, debug);
  }
  gst_message_unref (msg);
}

static void
output_free (gpointer data)
{
  Output *out = data;

  g_free (out->text);
  g_free (out->role);
  g_free (out->item_id);
  g_free (out->response_id);
  g_free (out);
}

/* A field of a text buffer's GstRealtimeTextMeta, or NULL. */
static gchar *
buffer_meta_string (GstBuffer * buffer, const gchar * field)
{
  GstCustomMeta *meta = gst_buffer_get_custom_meta (buffer,
      "GstRealtimeTextMeta");

  if (!meta)
    return NULL;
  return g_strdup (gst_structure_get_string (gst_custom_meta_get_structure
          (meta), field));
}

/* Everything an appsink received, after EOS. */
GPtrArray *
collect (GstElement * appsink)
{
  GPtrArray *outputs = g_ptr_array_new_with_free_func (output_free);
  GstSample *sample;

  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (appsink), 0))) {
    GstBuffer *buffer = gst_sample_get_buffer (sample);
    Output *out = g_new0 (Output, 1);
    GstMapInfo map;

    out->pts = GST_BUFFER_PTS (buffer);
    out->duration = GST_BUFFER_DURATION (buffer);
    out->discont = GST_BUFFER_IS_DISCONT (buffer);
    out->role = buffer_meta_string (buffer, "role");
    out->item_id = buffer_meta_string (buffer, "item-id");
    out->response_id = buffer_meta_string (buffer, "response-id");
    gst_buffer_map (buffer, &map, GST_MAP_READ);
    out->text = g_strndup ((const gchar *) map.data, map.size);
    out->size = map.size;
    gst_buffer_unmap (buffer, &map);
    g_ptr_array_add (outputs, out);
    gst_sample_unref (sample);
  }
  return outputs;
}

/* Text buffers are contiguous and never overlap. */
void
assert_monotonic (GPtrArray * outputs)
{
  GstClockTime end = 0;
  guint i;

  for (i = 0; i < outputs->len; i++) {
    Output *out = g_ptr_array_index (outputs, i);

    fail_unless (GST_CLOCK_TIME_IS_VALID (out->pts));
    fail_unless (GST_CLOCK_TIME_IS_VALID (out->duration));
    fail_unless (out->pts >= end, "buffer %u at %" GST_TIME_FORMAT
        " overlaps the previous one ending at %" GST_TIME_FORMAT, i,
        GST_TIME_ARGS (out->pts), GST_TIME_ARGS (end));
    end = out->pts + out->duration;
  }
}

/* The text of the buffers stamped in [start, end). */
gchar *
text_between (GPtrArray * outputs, GstClockTime start, GstClockTime end)
{
  GString *text = g_string_new (NULL);
  guint i;

  for (i = 0; i < outputs->len; i++) {
    Output *out = g_ptr_array_index (outputs, i);

    if (out->pts >= start && out->pts < end)
      g_string_append (text, out->text);
  }
  return g_string_free (text, FALSE);
}

GstClockTime
ms_to_time (gint64 ms)
{
  return ms * GST_MSECOND;
}

/* Every client event the element sent must match the GA schemas. */
void
assert_client_events_valid (RealtimeTestServer * server, const gchar * name)
{
  assert_client_events_valid_in (server, name, FALSE);
}

void
assert_client_events_valid_in (RealtimeTestServer * server,
    const gchar * name, gboolean beta)
{
  GPtrArray *events = realtime_test_server_get_client_events (server);
  gchar *path = g_strdup_printf ("%s/client-events-%s.jsonl",
      g_getenv ("REALTIME_TEST_OUTPUT"), name);
  gchar *validator = g_build_filename (g_getenv ("REALTIME_TEST_DATA"),
      "validate-events", NULL);
  const gchar *argv[] = { "/usr/bin/python3", validator,
    beta ? "--beta" : path, beta ? path : NULL, NULL
  };
  GString *lines = g_string_new (NULL);
  gchar *out = NULL, *err = NULL;
  GError *error = NULL;
  gint status;
  guint i;

  fail_unless (events->len > 0, "the server saw no client events");
  for (i = 0; i < events->len; i++)
    g_string_append_printf (lines, "%s\n",
        (const gchar *) g_ptr_array_index (events, i));
  fail_unless (g_file_set_contents (path, lines->str, lines->len, &error));

  fail_unless (g_spawn_sync (NULL, (gchar **) argv, NULL,
          G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error),
      "could not run the validator: %s", error ? error->message : "?");
  fail_unless (g_spawn_check_wait_status (status, NULL),
      "client events of %s do not match the schemas:\n%s%s", name, out, err);

  g_string_free (lines, TRUE);
  g_ptr_array_unref (events);
  g_free (out);
  g_free (err);
  g_free (path);
  g_free (validator);
}

GArray *
server_turns (Fixture * f, guint expected)
{
  GArray *turns = realtime_test_server_get_turns (f->server);

  fail_unless_equals_int (turns->len, expected);
  return turns;
}


/* Plays, pushes @parts, ends the stream and waits for EOS. */
void
run_parts (Fixture * f, const Part * parts, guint n_parts)
{
  guint64 offset = 0;

  fail_unless (gst_element_set_state (f->pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (push_parts (f, parts, n_parts, &offset), GST_FLOW_OK);
  gst_app_src_end_of_stream (GST_APP_SRC (f->appsrc));
  assert_eos (f);
}

/* The value at JSONPath @path of the @nth (from 0) client event of @type,
 * as text (strings bare, anything else as JSON), or NULL. */
gchar *
client_event_value (RealtimeTestServer * server, const gchar * type,
    guint nth, const gchar * path)
{
  GPtrArray *events = realtime_test_server_get_client_events (server);
  gchar *value = NULL;
  guint i;

  for (i = 0; i < events->len && !value; i++) {
    JsonNode *event = json_from_string (g_ptr_array_index (events, i), NULL);
    JsonNode *type_node = json_path_query ("$.type", event, NULL);
    JsonArray *types = json_node_get_array (type_node);

    if (json_array_get_length (types) == 1 && g_strcmp0 (type,
            json_array_get_string_element (types, 0)) == 0 && nth-- == 0) {
      JsonNode *found = json_path_query (path, event, NULL);
      JsonArray *matches = json_node_get_array (found);

      if (json_array_get_length (matches) > 0) {
        JsonNode *match = json_array_get_element (matches, 0);

        value = JSON_NODE_HOLDS_VALUE (match)
            && json_node_get_value_type (match) == G_TYPE_STRING ?
            g_strdup (json_node_get_string (match)) :
            json_to_string (match, FALSE);
      }
      json_node_unref (found);
      nth = G_MAXUINT;
    }
    json_node_unref (type_node);
    json_node_unref (event);
  }
  g_ptr_array_unref (events);
  return value;
}

void
assert_client_event_value (RealtimeTestServer * server, const gchar * type,
    const gchar * path, const gchar * expected)
{
  gchar *value = client_event_value (server, type, 0, path);

  fail_unless (g_strcmp0 (value, expected) == 0, "%s %s: expected %s, got %s",
      type, path, GST_STR_NULL (expected), GST_STR_NULL (value));
  g_free (value);
}

/* All the text a text sink received, in order. */
gchar *
all_text (GPtrArray * outputs)
{
  return text_between (outputs, 0, GST_CLOCK_TIME_NONE);
}

static void
on_server_event (GstElement * ai, const gchar * type, const gchar * json,
    Fixture * f)
{
  g_mutex_lock (&f->lock);
  g_ptr_array_add (f->server_events, g_strdup (type));
  g_cond_broadcast (&f->cond);
  g_mutex_unlock (&f->lock);
}

/* Records the types the element's server-event signal gives. */
void
fixture_watch_server_events (Fixture * f)
{
  f->server_events = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->ai, "server-event", G_CALLBACK (on_server_event), f);
}

static guint
count_types_locked (Fixture * f, const gchar * type)
{
  guint i, n = 0;

  for (i = 0; i < f->server_events->len; i++)
    n += g_str_equal (g_ptr_array_index (f->server_events, i), type);
  return n;
}

/* Waits until the element has seen @count server events of @type. */
gboolean
fixture_wait_server_event (Fixture * f, const gchar * type, guint count,
    guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;
  gboolean reached;

  g_mutex_lock (&f->lock);
  while (!(reached = count_types_locked (f, type) >= count))
    if (!g_cond_wait_until (&f->cond, &f->lock, deadline))
      break;
  reached = count_types_locked (f, type) >= count;
  g_mutex_unlock (&f->lock);
  return reached;
}

guint
count_buffers (GstElement * appsink)
{
  GPtrArray *outputs = collect (appsink);
  guint n = outputs->len;

  g_ptr_array_unref (outputs);
  return n;
}

/* Pushes @parts and waits until the server has all of it, in appends of
 * the default 50 ms, so that what the test does next comes after it. */
void
push_parts_and_wait (Fixture * f, const Part * parts, guint n_parts)
{
  guint64 offset = 0;
  guint n_appends;

  fail_unless_equals_int (push_parts (f, parts, n_parts, &offset), GST_FLOW_OK);
  n_appends = offset / (RATE / 20);
  fail_unless (realtime_test_server_wait_for_client_event (f->server,
          "input_audio_buffer.append", n_appends, 10000),
      "the server did not get %u appends", n_appends);
}

void
assert_error (Fixture * f, GQuark domain, gint code, const gchar * fragment)
{
  GstMessage *msg = wait_for_end (f, 10 * GST_SECOND);
  GError *error = NULL;
  gchar *debug = NULL;

  fail_unless (msg != NULL, "no error within 10 s");
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
  gst_message_parse_error (msg, &error, &debug);
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (f->ai),
      "error from %s: %s", GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)),
      error->message);
  fail_unless (error->domain == domain && error->code == code,
      "unexpected error %s:%d: %s", g_quark_to_string (error->domain),
      error->code, error->message);
  if (fragment)
    fail_unless (strstr (error->message, fragment) || (debug
            && strstr (debug, fragment)), "'%s' not in '%s' / '%s'",
        fragment, error->message, debug);
  /* the key never shows */
  fail_if (strstr (error->message, TEST_KEY) || (debug
          && strstr (debug, TEST_KEY)));

  g_error_free (error);
  g_free (debug);
  gst_message_unref (msg);
}

/* Plays and pushes, for tests in which the element fails midway. */
void
play_and_push (Fixture * f, const Part * parts, guint n_parts)
{
  guint64 offset = 0;

  gst_element_set_state (f->pipeline, GST_STATE_PLAYING);
  push_parts (f, parts, n_parts, &offset);
}

static guint
count_messages_locked (Fixture * f, const gchar * name, const gchar * field,
    const gchar * value)
{
  guint i, n = 0;

  for (i = 0; i < f->messages->len; i++) {
    GstStructure *s = g_ptr_array_index (f->messages, i);

    if (gst_structure_has_name (s, name) && (!field
            || g_strcmp0 (gst_structure_get_string (s, field), value) == 0))
      n++;
  }
  return n;
}

gboolean
fixture_wait_message (Fixture * f, const gchar * name, const gchar * field,
    const gchar * value, guint count, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;
  gboolean reached;

  g_mutex_lock (&f->lock);
  while (!(reached = count_messages_locked (f, name, field, value) >= count))
    if (!g_cond_wait_until (&f->cond, &f->lock, deadline))
      break;
  reached = count_messages_locked (f, name, field, value) >= count;
  g_mutex_unlock (&f->lock);
  return reached;
}

gchar *
fixture_warnings (Fixture * f)
{
  GString *all = g_string_new (NULL);
  guint i;

  g_mutex_lock (&f->lock);
  for (i = 0; i < f->warnings->len; i++)
    g_string_append_printf (all, "%s\n",
        ((GError *) g_ptr_array_index (f->warnings, i))->message);
  g_mutex_unlock (&f->lock);
  return g_string_free (all, FALSE);
}
