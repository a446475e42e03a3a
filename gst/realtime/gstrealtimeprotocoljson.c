/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* JSON helpers the rest of the protocol layer shares: integers in JSON
 * values, serialising an object, and the strict pre-check every JSON input
 * passes before json-glib sees it. The smallest accessors are inline in
 * gstrealtimeprotocolpriv.h. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "gstrealtimeprotocolpriv.h"

/* json-glib 1.6 recurses once per nesting level and overflows the stack on
 * deep input; real events nest less than ten levels. */
#define MAX_JSON_DEPTH 64

/* ---------------------------------------------------------------------- */
/* JSON values                                                            */
/* ---------------------------------------------------------------------- */

/* A non-negative integer up to @max; integral JSON doubles (1000.0) are
 * taken too. */
gboolean
gst_realtime_protocol_node_to_int (JsonNode * node, gint64 max, gint64 * value)
{
  GType type;
  gint64 i;
  gdouble d;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64) {
    i = json_node_get_int (node);
  } else if (type == G_TYPE_DOUBLE) {
    d = json_node_get_double (node);
    /* (gdouble) max + 1.0 is a power of two for both gint and gint64; the
     * comparisons are false for NaN */
    if (!(d >= 0.0 && d < (gdouble) max + 1.0))
      return FALSE;
    i = (gint64) d;
    if ((gdouble) i != d)
      return FALSE;
  } else {
    return FALSE;
  }
  if (i < 0 || i > max)
    return FALSE;
  *value = i;
  return TRUE;
}

/* json-glib 1.6 writes a double as %.17g and adds ".0" when that has no
 * '.', so 1e21 becomes "1e+21.0", which is not JSON. Removes those ".0"
 * from @json, in place, skipping strings. */
static void
fix_exponents (gchar * json)
{
  gchar *in = json, *out = json;
  gboolean in_string = FALSE, in_number = FALSE;

  while (*in != '\0') {
    if (in_string) {
      if (*in == '\\' && in[1] != '\0')
        *out++ = *in++;
      else if (*in == '"')
        in_string = FALSE;
    } else if (*in == '"') {
      in_string = TRUE;
    } else if (in_number && (*in == 'e' || *in == 'E')) {
      /* the exponent's sign and digits, then the ".0" json-glib added */
      *out++ = *in++;
      if (*in == '+' || *in == '-')
        *out++ = *in++;
      while (g_ascii_isdigit (*in))
        *out++ = *in++;
      if (in[0] == '.' && in[1] == '0' && !g_ascii_isdigit (in[2]))
        in += 2;
      in_number = FALSE;
      continue;
    }
    in_number = !in_string && (g_ascii_isdigit (*in) || *in == '-'
        || (in_number && *in == '.'));
    *out++ = *in++;
  }
  *out = '\0';
}

gchar *
gst_realtime_protocol_node_to_string (JsonNode * node)
{
  gchar *json = json_to_string (node, FALSE);

  fix_exponents (json);
  return json;
}

gchar *
gst_realtime_protocol_object_to_string (JsonObject * object)
{
  JsonNode *node = object_node (object);
  gchar *json = gst_realtime_protocol_node_to_string (node);

  json_node_unref (node);
  return json;
}

/* json-glib reads a number too large for a double, 1e400, as infinity and
 * writes it back as "inf.0", which is not JSON; what is re-serialised is
 * checked with this first. Nesting is bounded by the strict pre-check. */
gboolean
gst_realtime_protocol_node_is_finite (JsonNode * node)
{
  JsonObjectIter iter;
  JsonNode *member;
  JsonArray *array;
  guint i, n;

  switch (JSON_NODE_TYPE (node)) {
    case JSON_NODE_OBJECT:
      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &member)) {
        if (!gst_realtime_protocol_node_is_finite (member))
          return FALSE;
      }
      return TRUE;
    case JSON_NODE_ARRAY:
      array = json_node_get_array (node);
      n = json_array_get_length (array);
      for (i = 0; i < n; i++) {
        if (!gst_realtime_protocol_node_is_finite (json_array_get_element
                (array, i)))
          return FALSE;
      }
      return TRUE;
    case JSON_NODE_VALUE:
      return json_node_get_value_type (node) != G_TYPE_DOUBLE
          || isfinite (json_node_get_double (node));
    default:
      return TRUE;
  }
}

/* ---------------------------------------------------------------------- */
/* Strict JSON                                                            */
/* ---------------------------------------------------------------------- */

static gboolean
is_bare_json_char (guchar c)
{
  static const gchar bare[] = " \t\n\r:,+-.0123456789eEtrufalsn";

  return c != '\0' && memchr (bare, c, sizeof (bare) - 1) != NULL;
}

/* The UTF-16 code unit of the four hex digits at @p, or -1. */
static gint
read_hex4 (const gchar * p, const gchar * end)
{
  gint unit = 0, digit, i;

  if (end - p < 4)
    return -1;
  for (i = 0; i < 4; i++) {
    digit = g_ascii_xdigit_value (p[i]);
    if (digit < 0)
      return -1;
    unit = unit << 4 | digit;
  }
  return unit;
}

#define IS_HIGH_SURROGATE(u) ((u) >= 0xd800 && (u) <= 0xdbff)
#define IS_LOW_SURROGATE(u) ((u) >= 0xdc00 && (u) <= 0xdfff)

/* Skips the \uXXXX escape (or surrogate pair) whose 'u' is at @p; returns
 * the position after it, or NULL when it is not valid or \u0000. json-glib
 * 1.6 turns a lone surrogate followed by more text into invalid UTF-8,
 * stops the string at bad hex digits, and turns \u0000 into a NUL that
 * would cut the string short. */
static const gchar *
skip_unicode_escape (const gchar * p, const gchar * end)
{
  gint unit = read_hex4 (p + 1, end);

  if (unit <= 0 || IS_LOW_SURROGATE (unit))
    return NULL;
  p += 5;
  if (!IS_HIGH_SURROGATE (unit))
    return p;
  if (end - p < 2 || p[0] != '\\' || p[1] != 'u')
    return NULL;
  unit = read_hex4 (p + 2, end);
  return IS_LOW_SURROGATE (unit) ? p + 6 : NULL;
}

/* Skips the rest of a string whose opening quote is before @p; returns the
 * position after its closing quote, or NULL when it is unterminated or not
 * strict JSON: json-glib 1.6 also takes raw control characters and any
 * escape ("err\or" reads as "error"). */
static const gchar *
skip_string (const gchar * p, const gchar * end)
{
  guchar c;

  while (p < end) {
    c = *p;
    if (c == '"')
      return p + 1;
    if (c < 0x20)
      return NULL;
    if (c != '\\') {
      p++;
      continue;
    }
    if (++p == end)
      return NULL;
    if (*p == 'u')
      p = skip_unicode_escape (p, end);
    else if (*p != '\0' && strchr ("\"\\/bfnrt", *p) != NULL)
      p++;
    else
      return NULL;
    if (p == NULL)
      return NULL;
  }
  return NULL;
}

static gboolean
is_json_space (guchar c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The characters of a number, true, false or null */
static gboolean
is_scalar_char (guchar c)
{
  return is_bare_json_char (c) && !is_json_space (c) && c != ':' && c != ',';
}

/* A linear pass before json-glib sees the data: it bounds the nesting depth
 * and rejects what is not strict JSON outside strings (json-glib 1.6 also
 * takes comments, single-quoted strings and hex numbers, which would hide
 * brackets from this count), bad escapes and raw control characters in
 * strings, and anything after the first value: json-glib 1.6 returns a
 * scalar root such as `1{...}` and leaks the object after it. */
gboolean
gst_realtime_protocol_json_is_plain (const gchar * data, gsize size)
{
  const gchar *p = data, *end = data + size;
  guint depth = 0;
  /* a value has begun at the top; in_scalar: a number or literal there */
  gboolean begun = FALSE, in_scalar = FALSE;

  while (p != NULL && p < end) {
    if (depth == 0 && !is_json_space (*p)) {
      if (!in_scalar || !is_scalar_char (*p)) {
        if (begun)
          return FALSE;
        begun = TRUE;
      }
      in_scalar = is_scalar_char (*p);
    } else {
      in_scalar = FALSE;
    }

    switch (*p) {
      case '"':
        p = skip_string (p + 1, end);
        continue;
      case '{':
      case '[':
        if (++depth > MAX_JSON_DEPTH)
          return FALSE;
        break;
      case '}':
      case ']':
        if (depth == 0)
          return FALSE;
        depth--;
        break;
      default:
        if (!is_bare_json_char (*p))
          return FALSE;
        break;
    }
    p++;
  }
  return p != NULL && depth == 0;
}
