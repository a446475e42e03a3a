/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What the libFuzzer targets share: setup, and checks that abort, which
 * libFuzzer reports as a crash with the input that caused it. */

#ifndef __FUZZ_COMMON_H__
#define __FUZZ_COMMON_H__

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

/* Not g_assert: it must hold in every build, G_DISABLE_ASSERT or not. */
#define fuzz_check(expr) G_STMT_START { \
    if (G_UNLIKELY (!(expr))) { \
      g_printerr ("%s:%d: check failed: %s\n", __FILE__, __LINE__, #expr); \
      abort (); \
    } \
  } G_STMT_END

static inline void
fuzz_init (char **argv)
{
  /* GSlice's magazines (GLib 2.74 still has them) would hide leaks,
   * use-after-free and overflows from ASan. GLib reads G_SLICE in its
   * constructor, before this runs, so a replay without it starts again
   * with it. */
  if (g_strcmp0 (g_getenv ("G_SLICE"), "always-malloc") != 0) {
    g_setenv ("G_SLICE", "always-malloc", TRUE);
    execv ("/proc/self/exe", argv);
    g_printerr ("could not restart with G_SLICE=always-malloc\n");
    abort ();
  }
  /* a g_return_if_fail () that untrusted input can reach is a bug too */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL |
      G_LOG_LEVEL_WARNING);
}

static inline gboolean
is_utf8_or_null (const gchar * str)
{
  return str == NULL || g_utf8_validate (str, -1, NULL);
}

/* Parses @json with json-glib alone, for checks independent of the code
 * under test; NULL when it is not a JSON object. The caller unrefs it. */
static inline JsonObject *
fuzz_load_object (const gchar * json, gssize size)
{
  JsonParser *parser = json_parser_new ();
  JsonObject *object = NULL;
  JsonNode *root;

  if (json_parser_load_from_data (parser, json, size, NULL)) {
    root = json_parser_get_root (parser);
    if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
      object = json_object_ref (json_node_get_object (root));
  }
  g_object_unref (parser);
  return object;
}

static inline const gchar *
fuzz_string_member (JsonObject * object, const gchar * name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

G_END_DECLS

#endif /* __FUZZ_COMMON_H__ */
