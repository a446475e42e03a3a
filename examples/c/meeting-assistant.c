/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* meeting-assistant: a voice assistant that books meetings.
 *
 * Shows how an application embeds realtimeai and gives the model a tool:
 *
 *   1. the pipeline: SOURCE ! audioconvert ! audioresample ! realtimeai,
 *      reply audio to the speakers (or a WAV file), text_src to a fakesink;
 *   2. the tool: a JSON function definition in the "tools" property;
 *   3. the call: the "function-call" signal hands over the arguments, the
 *      application does the work and answers with the "function-call-output"
 *      action signal, after which the model goes on speaking;
 *   4. the bus: transcripts, token usage and errors arrive as messages.
 *
 * Usage:
 *   export GST_PLUGIN_PATH=$PWD/build/gst/realtime OPENAI_API_KEY=sk-...
 *   build/examples/c/meeting-assistant                 # microphone
 *   build/examples/c/meeting-assistant --input question.wav --no-playback
 *
 * Use headphones with the microphone: the model must not hear itself.
 * Ctrl-C ends the input; the program waits for the reply in progress. */

#include <gst/gst.h>
#include <json-glib/json-glib.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdlib.h>

/* The one function the model may call, in the Realtime API's tool format. */
static const gchar TOOLS[] =
    "[{\"type\": \"function\","
    "  \"name\": \"create_meeting\","
    "  \"description\": \"Book a meeting in the user's calendar.\","
    "  \"parameters\": {"
    "    \"type\": \"object\","
    "    \"properties\": {"
    "      \"title\": {\"type\": \"string\"},"
    "      \"start_time\": {\"type\": \"string\","
    "        \"description\": \"ISO 8601 date and time\"},"
    "      \"duration\": {\"type\": \"integer\","
    "        \"description\": \"minutes\"}},"
    "    \"required\": [\"title\", \"start_time\", \"duration\"]}}]";

static const gchar DEFAULT_INSTRUCTIONS[] =
    "You book meetings. Ask for the title, the start time and the duration "
    "when the user has not given them all, then call create_meeting. "
    "Confirm each booking in one short sentence.";

typedef struct
{
  guint id;
  gchar *title;
  gchar *start_time;
  gint64 duration;              /* minutes */
} Meeting;

typedef struct
{
  GMainLoop *loop;
  GstElement *pipeline;
  gboolean eos;                 /* the pipeline ended normally */
  gboolean stopping;            /* Ctrl-C sent EOS already */

  /* The calendar. The function-call handler runs on the element's session
   * thread, so the list has a lock. */
  GMutex lock;
  GPtrArray *meetings;          /* Meeting * */
} App;

static void
meeting_free (Meeting * meeting)
{
  g_free (meeting->title);
  g_free (meeting->start_time);
  g_free (meeting);
}

/* Serialises @object, which it takes, to JSON text. */
static gchar *
object_to_json (JsonObject * object)
{
  JsonNode *node = json_node_init_object (json_node_alloc (), object);
  gchar *json = json_to_string (node, FALSE);

  json_node_unref (node);
  json_object_unref (object);
  return json;
}

static gchar *
error_output (const gchar * message)
{
  JsonObject *output = json_object_new ();

  json_object_set_string_member (output, "error", message);
  return object_to_json (output);
}

/* The string member @name of @args, or NULL if missing, not a string or
 * empty. */
static const gchar *
get_string (JsonObject * args, const gchar * name)
{
  JsonNode *node = json_object_get_member (args, name);
  const gchar *value;

  if (!node || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  value = json_node_get_string (node);
  return *value ? value : NULL;
}

/* Books a meeting from the model's arguments. Returns what to tell the
 * model, a JSON object as text: {"status": "booked", "meeting_id": N}, or
 * {"error": "..."} so that it can ask the user again. */
static gchar *
create_meeting (App * app, const gchar * arguments)
{
  JsonNode *root = json_from_string (arguments, NULL);
  JsonObject *args, *output;
  JsonNode *duration;
  const gchar *title, *start_time;
  GTimeZone *tz;
  GDateTime *start = NULL;
  Meeting *meeting;
  gchar *result;

  if (!root || !JSON_NODE_HOLDS_OBJECT (root)) {
    result = error_output ("the arguments are not a JSON object");
    goto done;
  }
  args = json_node_get_object (root);
  title = get_string (args, "title");
  start_time = get_string (args, "start_time");
  duration = json_object_get_member (args, "duration");

  /* A start time without a time zone is local time. */
  tz = g_time_zone_new_local ();
  if (start_time)
    start = g_date_time_new_from_iso8601 (start_time, tz);
  g_time_zone_unref (tz);

  if (!title)
    result = error_output ("title is missing");
  else if (!start)
    result = error_output ("start_time is not an ISO 8601 date and time");
  else if (!duration || json_node_get_value_type (duration) != G_TYPE_INT64
      || json_node_get_int (duration) <= 0
      || json_node_get_int (duration) > 24 * 60)
    result = error_output ("duration must be 1 to 1440 minutes");
  else {
    meeting = g_new0 (Meeting, 1);
    meeting->title = g_strdup (title);
    meeting->start_time = g_strdup (start_time);
    meeting->duration = json_node_get_int (duration);

    g_mutex_lock (&app->lock);
    g_ptr_array_add (app->meetings, meeting);
    meeting->id = app->meetings->len;
    g_mutex_unlock (&app->lock);

    g_print ("Booked: %s at %s for %" G_GINT64_FORMAT " min\n",
        meeting->title, meeting->start_time, meeting->duration);

    output = json_object_new ();
    json_object_set_string_member (output, "status", "booked");
    json_object_set_int_member (output, "meeting_id", meeting->id);
    result = object_to_json (output);
  }
  g_clear_pointer (&start, g_date_time_unref);

done:
  g_clear_pointer (&root, json_node_unref);
  return result;
}

/* The model called a tool. This runs on the element's session thread: do
 * quick work here, or answer later from any thread. */
static void
on_function_call (GstElement * ai, const gchar * name, const gchar * call_id,
    const gchar * arguments, gpointer user_data)
{
  App *app = user_data;
  gchar *output;
  gboolean ok = FALSE;

  if (g_strcmp0 (name, "create_meeting") == 0)
    output = create_meeting (app, arguments);
  else
    output = error_output ("unknown function");

  /* Once every call of the response has its output, the element asks the
   * model to go on, and it tells the user how it went. */
  g_signal_emit_by_name (ai, "function-call-output", call_id, output, &ok);
  if (!ok)
    g_printerr ("Could not answer call %s\n", call_id);
  g_free (output);
}

/* The element's own bus messages: transcripts and token usage. */
static void
handle_realtime_message (const GstStructure * s)
{
  if (gst_structure_has_name (s, "realtime-transcript")) {
    gboolean final = FALSE;
    const gchar *role = gst_structure_get_string (s, "role");

    /* Deltas arrive as they are spoken; the final message has it all. */
    gst_structure_get_boolean (s, "final", &final);
    if (final)
      g_print ("%s: %s\n", g_strcmp0 (role, "user") == 0 ? "You" :
          "Assistant", gst_structure_get_string (s, "text"));
  } else if (gst_structure_has_name (s, "realtime-response-done")) {
    const gchar *status = gst_structure_get_string (s, "status");
    gint64 input, output;

    if (g_strcmp0 (status, "completed") != 0)
      g_print ("(response %s: %s)\n", GST_STR_NULL (status),
          GST_STR_NULL (gst_structure_get_string (s, "status-reason")));
    if (gst_structure_get_int64 (s, "input-tokens", &input)
        && gst_structure_get_int64 (s, "output-tokens", &output))
      g_print ("(tokens: %" G_GINT64_FORMAT " in, %" G_GINT64_FORMAT
          " out)\n", input, output);
  }
  /* Server errors come as "realtime-error" messages too, with the error's
   * code and param; the warnings and errors below say enough here. */
}

static gboolean
on_bus_message (GstBus * bus, GstMessage * message, gpointer user_data)
{
  App *app = user_data;
  GError *error = NULL;
  gchar *debug = NULL;

  switch (GST_MESSAGE_TYPE (message)) {
    case GST_MESSAGE_ELEMENT:
      handle_realtime_message (gst_message_get_structure (message));
      break;
    case GST_MESSAGE_WARNING:
      gst_message_parse_warning (message, &error, &debug);
      g_printerr ("Warning: %s\n", error->message);
      break;
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (message, &error, &debug);
      g_printerr ("Error from %s: %s\n", GST_OBJECT_NAME (message->src),
          error->message);
      if (debug)
        g_printerr ("(%s)\n", debug);
      g_main_loop_quit (app->loop);
      break;
    case GST_MESSAGE_EOS:
      app->eos = TRUE;
      g_main_loop_quit (app->loop);
      break;
    default:
      break;
  }
  g_clear_error (&error);
  g_free (debug);
  return G_SOURCE_CONTINUE;
}

/* Ctrl-C ends the input: realtimeai waits for the reply in progress before
 * it forwards the EOS. A second Ctrl-C gives up. */
static gboolean
on_sigint (gpointer user_data)
{
  App *app = user_data;

  if (app->stopping) {
    g_main_loop_quit (app->loop);
  } else {
    g_printerr ("Stopping...\n");
    app->stopping = TRUE;
    gst_element_send_event (app->pipeline, gst_event_new_eos ());
  }
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  gchar *url;
  gchar *input;
  gchar *source;
  gchar *output;
  gboolean no_playback;
  gchar *instructions;
  gchar *key_env;
} Options;

static gboolean
parse_options (Options * opts, int *argc, char ***argv)
{
  GOptionEntry entries[] = {
    {"url", 0, 0, G_OPTION_ARG_STRING, &opts->url,
        "Realtime server (default: OpenAI)", "URL"},
    {"input", 'i', 0, G_OPTION_ARG_FILENAME, &opts->input,
        "Read the speech from this audio file", "FILE"},
    {"source", 0, 0, G_OPTION_ARG_STRING, &opts->source,
        "Read the speech from this pipeline description", "PIPELINE"},
    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &opts->output,
        "Write the spoken replies to a WAV file", "FILE.wav"},
    {"no-playback", 0, 0, G_OPTION_ARG_NONE, &opts->no_playback,
        "Do not play the spoken replies", NULL},
    {"instructions", 0, 0, G_OPTION_ARG_STRING, &opts->instructions,
        "System instructions for the model", "TEXT"},
    {"api-key-env", 0, 0, G_OPTION_ARG_STRING, &opts->key_env,
        "Variable with the API key (default: OPENAI_API_KEY)", "NAME"},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new ("- book meetings by voice");
  GError *error = NULL;
  gboolean ok;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  ok = g_option_context_parse (ctx, argc, argv, &error);
  g_option_context_free (ctx);
  if (!ok) {
    g_printerr ("%s\n", error->message);
    g_error_free (error);
  } else if (opts->input && opts->source) {
    g_printerr ("Give --input or --source, not both.\n");
    ok = FALSE;
  }
  if (!opts->key_env)
    opts->key_env = g_strdup ("OPENAI_API_KEY");
  return ok;
}

static void
options_clear (Options * opts)
{
  g_free (opts->url);
  g_free (opts->input);
  g_free (opts->source);
  g_free (opts->output);
  g_free (opts->instructions);
  g_free (opts->key_env);
}

static void
set_location (GstElement * pipeline, const gchar * name, const gchar * path)
{
  GstElement *element = gst_bin_get_by_name (GST_BIN (pipeline), name);

  g_object_set (element, "location", path, NULL);
  gst_object_unref (element);
}

/* SOURCE ! audioconvert ! audioresample ! realtimeai, reply audio to SINK
 * and text to a fakesink: the transcripts come on the bus as well. File
 * names are set as properties, so that they need no quoting. */
static GstElement *
build_pipeline (const Options * opts)
{
  const gchar *src = "autoaudiosrc";
  const gchar *sink = "audioconvert ! audioresample ! autoaudiosink";
  GstElement *pipeline;
  GError *error = NULL;
  gchar *description;

  if (opts->input)
    src = "filesrc name=input ! decodebin";
  else if (opts->source)
    src = opts->source;
  if (opts->output)
    sink = "audioconvert ! wavenc ! filesink name=output";
  else if (opts->no_playback)
    sink = "fakesink sync=false";

  description = g_strdup_printf ("%s ! audioconvert ! audioresample ! "
      "realtimeai name=ai ai.src ! %s "
      "ai.text_src ! fakesink sync=false async=false", src, sink);
  /* Without FATAL_ERRORS a missing element would just be left out. */
  pipeline = gst_parse_launch_full (description, NULL,
      GST_PARSE_FLAG_FATAL_ERRORS, &error);
  g_free (description);
  if (!pipeline) {
    g_printerr ("Could not build the pipeline: %s\n", error->message);
    g_error_free (error);
    return NULL;
  }

  if (opts->input)
    set_location (pipeline, "input", opts->input);
  if (opts->output)
    set_location (pipeline, "output", opts->output);
  return pipeline;
}

/* The session: server, key, instructions and the tool. */
static void
configure_session (GstElement * ai, const Options * opts)
{
  const gchar *key = g_getenv (opts->key_env);

  g_object_set (ai, "instructions", opts->instructions ?
      opts->instructions : DEFAULT_INSTRUCTIONS, "tools", TOOLS,
      "tool-choice", "auto", NULL);
  if (opts->url)
    g_object_set (ai, "url", opts->url, NULL);

  /* The key comes from the environment only, so that it shows up neither
   * in `ps` nor in any output. */
  if (key && *key)
    g_object_set (ai, "api-key", key, NULL);
  else
    g_printerr ("%s is not set: connecting without an API key.\n",
        opts->key_env);
}

int
main (int argc, char **argv)
{
  Options opts = { 0, };
  App app = { 0, };
  GstElement *ai;
  GstBus *bus;
  guint sigint_id;
  int status = EXIT_FAILURE;

  if (!parse_options (&opts, &argc, &argv)
      || !(app.pipeline = build_pipeline (&opts))) {
    options_clear (&opts);
    return EXIT_FAILURE;
  }

  g_mutex_init (&app.lock);
  app.meetings = g_ptr_array_new_with_free_func ((GDestroyNotify)
      meeting_free);
  ai = gst_bin_get_by_name (GST_BIN (app.pipeline), "ai");
  configure_session (ai, &opts);
  g_signal_connect (ai, "function-call", G_CALLBACK (on_function_call), &app);

  app.loop = g_main_loop_new (NULL, FALSE);
  bus = gst_element_get_bus (app.pipeline);
  gst_bus_add_watch (bus, on_bus_message, &app);
  sigint_id = g_unix_signal_add (SIGINT, on_sigint, &app);

  if (gst_element_set_state (app.pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    /* The reason is in an error message on the bus. */
    GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

    if (msg)
      on_bus_message (bus, msg, &app);
    else
      g_printerr ("Could not start the pipeline.\n");
    gst_clear_message (&msg);
  } else {
    if (!opts.input && !opts.source)
      g_print ("Listening: ask me to book a meeting. Ctrl-C to stop.\n");
    g_main_loop_run (app.loop);
  }

  gst_element_set_state (app.pipeline, GST_STATE_NULL);
  g_print ("%u meeting(s) booked.\n", app.meetings->len);
  if (app.eos)
    status = EXIT_SUCCESS;

  g_source_remove (sigint_id);
  gst_bus_remove_watch (bus);
  gst_object_unref (bus);
  gst_object_unref (ai);
  gst_object_unref (app.pipeline);
  g_main_loop_unref (app.loop);
  g_ptr_array_unref (app.meetings);
  g_mutex_clear (&app.lock);
  options_clear (&opts);
  return status;
}
