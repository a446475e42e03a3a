/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gio/gio.h>

#include "gstrealtimeendpoint.h"

static gboolean
query_has (const gchar * query, const gchar * name)
{
  gchar **params;
  gboolean found = FALSE;
  guint i;

  if (!query)
    return FALSE;
  params = g_strsplit (query, "&", -1);
  for (i = 0; params[i] && !found; i++)
    found = g_str_has_prefix (params[i], name)
        && params[i][strlen (name)] == '=';
  g_strfreev (params);
  return found;
}

static gboolean
is_azure (GUri * uri)
{
  const gchar *host = g_uri_get_host (uri);

  return g_str_has_prefix (g_uri_get_path (uri), "/openai/") || (host
      && (g_str_has_suffix (host, ".openai.azure.com")
          || g_str_has_suffix (host, ".cognitiveservices.azure.com")));
}

static gboolean
is_loopback (const gchar * host)
{
  GInetAddress *address;
  gboolean loopback;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  loopback = address && g_inet_address_get_is_loopback (address);
  g_clear_object (&address);
  return loopback;
}

static gboolean
is_plain_remote (GUri * uri)
{
  const gchar *scheme = g_uri_get_scheme (uri);

  return (g_ascii_strcasecmp (scheme, "ws") == 0
      || g_ascii_strcasecmp (scheme, "http") == 0)
      && !is_loopback (g_uri_get_host (uri));
}

/* Azure's preview surface speaks the beta shape; its GA one is /v1. */
static gboolean
is_azure_preview (GUri * uri)
{
  return !strstr (g_uri_get_path (uri), "/openai/v1/")
      && query_has (g_uri_get_query (uri), "api-version");
}

/* The URL names what to talk to unless it already does. */
static gchar *
target_query (GUri * uri, const gchar * model,
    GstRealtimeSessionType session_type)
{
  const gchar *query = g_uri_get_query (uri);
  gchar *escaped, *param, *result;

  if (query_has (query, "model") || query_has (query, "deployment")
      || query_has (query, "intent") || query_has (query, "call_id"))
    return g_strdup (query);
  if (session_type == GST_REALTIME_SESSION_TYPE_TRANSLATION
      && !(model && *model))
    model = GST_REALTIME_TRANSLATION_DEFAULT_MODEL;
  if (session_type == GST_REALTIME_SESSION_TYPE_TRANSCRIPTION)
    param = g_strdup ("intent=transcription");
  else if (model && *model) {
    escaped = g_uri_escape_string (model, NULL, TRUE);
    param = g_strconcat ("model=", escaped, NULL);
    g_free (escaped);
  } else
    return g_strdup (query);

  result = query && *query ? g_strconcat (query, "&", param, NULL) :
      g_strdup (param);
  g_free (param);
  return result;
}

/* Translation sessions live beside conversations: /v1/realtime becomes
 * /v1/realtime/translations; any other path is the user's choice. */
static gchar *
target_path (GUri * uri, GstRealtimeSessionType session_type)
{
  const gchar *path = g_uri_get_path (uri);
  gsize len = strlen (path);

  while (len > 0 && path[len - 1] == '/')
    len--;
  if (session_type == GST_REALTIME_SESSION_TYPE_TRANSLATION && len >= 12
      && strncmp (path + len - 12, "/v1/realtime", 12) == 0)
    return g_strdup_printf ("%.*s/translations", (gint) len, path);
  return g_strdup (path);
}

static gchar *
build_url (GUri * uri, const gchar * path, const gchar * query)
{
  GUri *built = g_uri_build (g_uri_get_flags (uri), g_uri_get_scheme (uri),
      g_uri_get_userinfo (uri), g_uri_get_host (uri), g_uri_get_port (uri),
      path, query, g_uri_get_fragment (uri));
  gchar *url = g_uri_to_string (built);

  g_uri_unref (built);
  return url;
}

/* A translation session speaks its own protocol, which is GA-shaped. */
static GstRealtimeProtocolVersion
choose_dialect (GUri * uri, gboolean azure, GstRealtimeSessionType type,
    GstRealtimeProtocolVersion protocol)
{
  if (type == GST_REALTIME_SESSION_TYPE_TRANSLATION)
    return GST_REALTIME_PROTOCOL_GA;
  if (protocol != GST_REALTIME_PROTOCOL_AUTO)
    return protocol;
  return azure && is_azure_preview (uri) ?
      GST_REALTIME_PROTOCOL_BETA : GST_REALTIME_PROTOCOL_GA;
}

gboolean
gst_realtime_endpoint_resolve (GstRealtimeEndpoint * endpoint,
    const gchar * url, const gchar * model,
    GstRealtimeSessionType session_type, GstRealtimeProtocolVersion protocol,
    GstRealtimeAuth auth)
{
  GUri *uri = url ? g_uri_parse (url, G_URI_FLAGS_ENCODED_QUERY, NULL) : NULL;
  gchar *path, *query;
  guint n = 0;

  memset (endpoint, 0, sizeof (*endpoint));
  if (!uri || !g_uri_get_host (uri)) {
    g_clear_pointer (&uri, g_uri_unref);
    return FALSE;
  }

  endpoint->azure = is_azure (uri);
  if (endpoint->azure && session_type == GST_REALTIME_SESSION_TYPE_TRANSLATION) {
    endpoint->refusal = "Azure OpenAI has no translation endpoint "
        "(/v1/realtime/translations); use OpenAI or a compatible server";
    g_uri_unref (uri);
    return FALSE;
  }
  endpoint->dialect = choose_dialect (uri, endpoint->azure, session_type,
      protocol);
  endpoint->api_key_header = auth == GST_REALTIME_AUTH_API_KEY
      || (auth == GST_REALTIME_AUTH_AUTO && endpoint->azure);
  endpoint->beta_header = endpoint->dialect == GST_REALTIME_PROTOCOL_BETA
      && !endpoint->azure;
  endpoint->plain_remote = is_plain_remote (uri);
  if (endpoint->azure)
    endpoint->key_variables[n++] = "AZURE_OPENAI_API_KEY";
  endpoint->key_variables[n] = "OPENAI_API_KEY";

  path = target_path (uri, session_type);
  query = target_query (uri, model, session_type);
  endpoint->url = build_url (uri, path, query);
  g_free (query);
  g_free (path);
  g_uri_unref (uri);
  return TRUE;
}

void
gst_realtime_endpoint_clear (GstRealtimeEndpoint * endpoint)
{
  g_clear_pointer (&endpoint->url, g_free);
}
