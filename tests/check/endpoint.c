/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Where the element connects and how it authenticates, per provider. */

#include <gst/check/gstcheck.h>

#include "gstrealtimeendpoint.h"

static GstRealtimeEndpoint
resolve (const gchar * url, const gchar * model,
    GstRealtimeSessionType type, GstRealtimeProtocolVersion protocol,
    GstRealtimeAuth auth)
{
  GstRealtimeEndpoint endpoint;

  fail_unless (gst_realtime_endpoint_resolve (&endpoint, url, model, type,
          protocol, auth), "could not resolve %s", url);
  return endpoint;
}

#define REALTIME GST_REALTIME_SESSION_TYPE_REALTIME
#define AUTO GST_REALTIME_PROTOCOL_AUTO

GST_START_TEST (test_openai)
{
  GstRealtimeEndpoint e = resolve ("wss://api.openai.com/v1/realtime",
      "gpt-realtime", REALTIME, AUTO, GST_REALTIME_AUTH_AUTO);

  fail_unless_equals_string (e.url,
      "wss://api.openai.com/v1/realtime?model=gpt-realtime");
  fail_unless_equals_int (e.dialect, GST_REALTIME_PROTOCOL_GA);
  fail_if (e.azure);
  fail_if (e.api_key_header);
  fail_if (e.beta_header);
  fail_unless_equals_string (e.key_variables[0], "OPENAI_API_KEY");
  fail_unless (e.key_variables[1] == NULL);
  gst_realtime_endpoint_clear (&e);
}

GST_END_TEST;

GST_START_TEST (test_openai_transcription_intent)
{
  GstRealtimeEndpoint e = resolve ("wss://api.openai.com/v1/realtime",
      "gpt-realtime", GST_REALTIME_SESSION_TYPE_TRANSCRIPTION, AUTO,
      GST_REALTIME_AUTH_AUTO);

  fail_unless_equals_string (e.url,
      "wss://api.openai.com/v1/realtime?intent=transcription");
  gst_realtime_endpoint_clear (&e);
}

GST_END_TEST;

GST_START_TEST (test_model_is_escaped_and_appended)
{
  GstRealtimeEndpoint e = resolve ("ws://127.0.0.1:8080/v1/realtime?x=1",
      "my model&co", REALTIME, AUTO, GST_REALTIME_AUTH_AUTO);

  fail_unless_equals_string (e.url,
      "ws://127.0.0.1:8080/v1/realtime?x=1&model=my%20model%26co");
  gst_realtime_endpoint_clear (&e);
}

GST_END_TEST;

GST_START_TEST (test_azure_ga)
{
  GstRealtimeEndpoint e =
      resolve ("wss://res.openai.azure.com/openai/v1/realtime?model=dep",
      "gpt-realtime", REALTIME, AUTO, GST_REALTIME_AUTH_AUTO);

  /* the deployment in the URL wins over the model property */
  fail_unless_equals_string (e.url,
      "wss://res.openai.azure.com/openai/v1/realtime?model=dep");
  fail_unless_equals_int (e.dialect, GST_REALTIME_PROTOCOL_GA);
  fail_unless (e.azure);
  fail_unless (e.api_key_header);
  fail_unless_equals_string (e.key_variables[0], "AZURE_OPENAI_API_KEY");
  fail_unless_equals_string (e.key_variables[1], "OPENAI_API_KEY");
  gst_realtime_endpoint_clear (&e);
}

GST_END_TEST;

GST_START_TEST (test_azure_preview_is_beta)
{
  const gchar *url = "wss://res.openai.azure.com/openai/realtime"
      "?api-version=2025-04-01-preview&deployment=dep";
  GstRealtimeEndpoint e = resolve (url, "gpt-realtime", REALTIME, AUTO,
      GST_REALTIME_AUTH_AUTO);

  fail_unless_equals_string (e.url, url);
  fail_unless_equals_int (e.dialect, GST_REALTIME_PROTOCOL_BETA);
  fail_unless (e.api_key_header);
  /* Azure needs no OpenAI-Beta header */
  fail_if (e.beta_header);
  gst_realtime_endpoint_clear (&e);
}

GST_END_TEST;

GST_START_TEST (test_explicit_choices_win)
{
  GstRealtimeEndpoint e =
      resolve ("wss://res.openai.azure.com/openai/v1/realtime?model=dep",
      NULL, REALTIME, GST_REALTIME_PROTOCOL_GA, GST_REALTIME_AUTH_BEARER);

  /* an Entra token goes as Bearer */
  fail_if (e.api_key_header);
  gst_realtime_endpoint_clear (&e);

  e = resolve ("ws://localhost:9000/v1/realtime", "m", REALTIME,
      GST_REALTIME_PROTOCOL_BETA, GST_REALTIME_AUTH_API_KEY);
  fail_unless_equals_int (e.dialect, GST_REALTIME_PROTOCOL_BETA);
  fail_unless (e.beta_header);
  fail_unless (e.api_key_header);
  gst_realtime_endpoint_clear (&e);
}

GST_END_TEST;

GST_START_TEST (test_invalid_url)
{
  GstRealtimeEndpoint e;

  fail_if (gst_realtime_endpoint_resolve (&e, "not a url", NULL, REALTIME,
          AUTO, GST_REALTIME_AUTH_AUTO));
  fail_if (gst_realtime_endpoint_resolve (&e, NULL, NULL, REALTIME, AUTO,
          GST_REALTIME_AUTH_AUTO));
}

GST_END_TEST;

#define TRANSLATION GST_REALTIME_SESSION_TYPE_TRANSLATION

static gchar *
translation_url (const gchar * url, const gchar * model)
{
  GstRealtimeEndpoint e = resolve (url, model, TRANSLATION, AUTO,
      GST_REALTIME_AUTH_AUTO);
  gchar *result = g_strdup (e.url);

  fail_if (e.beta_header);
  fail_unless_equals_int (e.dialect, GST_REALTIME_PROTOCOL_GA);
  fail_unless (e.refusal == NULL);
  gst_realtime_endpoint_clear (&e);
  return result;
}

static void
check_translation_url (const gchar * url, const gchar * model,
    const gchar * expected)
{
  gchar *result = translation_url (url, model);

  fail_unless_equals_string (result, expected);
  g_free (result);
}

GST_START_TEST (test_openai_translation)
{
  check_translation_url ("wss://api.openai.com/v1/realtime", NULL,
      "wss://api.openai.com/v1/realtime/translations"
      "?model=gpt-realtime-translate");
  check_translation_url ("wss://api.openai.com/v1/realtime", "",
      "wss://api.openai.com/v1/realtime/translations"
      "?model=gpt-realtime-translate");
  check_translation_url ("wss://api.openai.com/v1/realtime/", "my-translate",
      "wss://api.openai.com/v1/realtime/translations?model=my-translate");
  /* any server whose path ends in /v1/realtime, its query kept */
  check_translation_url ("ws://127.0.0.1:8080/proxy/v1/realtime?x=1", NULL,
      "ws://127.0.0.1:8080/proxy/v1/realtime/translations"
      "?x=1&model=gpt-realtime-translate");
  /* the URL's own model wins */
  check_translation_url ("wss://api.openai.com/v1/realtime?model=t2", "m",
      "wss://api.openai.com/v1/realtime/translations?model=t2");
  /* another path is the user's choice, taken as it is */
  check_translation_url ("ws://localhost:9000/translate", NULL,
      "ws://localhost:9000/translate?model=gpt-realtime-translate");
  check_translation_url ("wss://api.openai.com/v1/realtime/translations",
      NULL, "wss://api.openai.com/v1/realtime/translations"
      "?model=gpt-realtime-translate");
  check_translation_url ("wss://api.openai.com/v1/realtimex", NULL,
      "wss://api.openai.com/v1/realtimex?model=gpt-realtime-translate");
}

GST_END_TEST;

/* always GA: a translation session has no beta shape and no header */
GST_START_TEST (test_translation_is_ga)
{
  GstRealtimeEndpoint e = resolve ("ws://localhost:9000/v1/realtime", "m",
      TRANSLATION, GST_REALTIME_PROTOCOL_BETA, GST_REALTIME_AUTH_AUTO);

  fail_unless_equals_int (e.dialect, GST_REALTIME_PROTOCOL_GA);
  fail_if (e.beta_header);
  fail_if (e.api_key_header);
  fail_unless_equals_string (e.url,
      "ws://localhost:9000/v1/realtime/translations?model=m");
  gst_realtime_endpoint_clear (&e);
}

GST_END_TEST;

/* PROTOCOL.md names no Azure translation endpoint: refused, with why */
GST_START_TEST (test_azure_translation_refused)
{
  static const gchar *const urls[] = {
    "wss://res.openai.azure.com/openai/v1/realtime?model=dep",
    "wss://res.openai.azure.com/openai/realtime"
        "?api-version=2025-04-01-preview&deployment=dep",
    "wss://res.cognitiveservices.azure.com/openai/v1/realtime",
  };
  GstRealtimeEndpoint e;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (urls); i++) {
    fail_if (gst_realtime_endpoint_resolve (&e, urls[i], NULL, TRANSLATION,
            AUTO, GST_REALTIME_AUTH_AUTO), "resolved %s", urls[i]);
    fail_unless (e.url == NULL);
    fail_unless (e.refusal != NULL && strstr (e.refusal, "Azure"));
  }
  /* an invalid URL has no reason beyond itself */
  fail_if (gst_realtime_endpoint_resolve (&e, "not a url", NULL, TRANSLATION,
          AUTO, GST_REALTIME_AUTH_AUTO));
  fail_unless (e.refusal == NULL);
}

GST_END_TEST;

static Suite *
endpoint_suite (void)
{
  Suite *s = suite_create ("endpoint");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_openai);
  tcase_add_test (tc, test_openai_transcription_intent);
  tcase_add_test (tc, test_model_is_escaped_and_appended);
  tcase_add_test (tc, test_azure_ga);
  tcase_add_test (tc, test_azure_preview_is_beta);
  tcase_add_test (tc, test_explicit_choices_win);
  tcase_add_test (tc, test_invalid_url);
  tcase_add_test (tc, test_openai_translation);
  tcase_add_test (tc, test_translation_is_ga);
  tcase_add_test (tc, test_azure_translation_refused);
  return s;
}

GST_CHECK_MAIN (endpoint);
