/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-test-server"

#include "config.h"

#include "pb-test-server.h"

#include <signal.h>
#include <string.h>
#ifdef __linux__
# include <sys/prctl.h>
#endif

#define START_TIMEOUT_SECONDS 30
#define STOP_TIMEOUT_SECONDS  5

struct _PbTestServer
{
  GSubprocess  *process;
  JsonObject   *info;
  char         *url;
  GCancellable *drain_cancellable;
};

typedef struct
{
  GInputStream *stream;
  GCancellable *cancellable;
} Drain;

static void drain_next (Drain *drain);

static void
drain_free (Drain *drain)
{
  g_clear_object (&drain->stream);
  g_clear_object (&drain->cancellable);
  g_free (drain);
}

static void
on_drained (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Drain *drain = user_data;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      drain_free (drain);
      return;
    }

  drain_next (drain);
}

/* Keep reading the rest of stdout so that the server never blocks on a full pipe. */
static void
drain_next (Drain *drain)
{
  g_input_stream_read_bytes_async (drain->stream, 4096, G_PRIORITY_DEFAULT,
                                   drain->cancellable, on_drained, drain);
}

static void
child_setup (gpointer user_data)
{
#ifdef __linux__
  /* Do not outlive a test that crashes. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

static void
on_line_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
on_start_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

PbTestServer *
pb_test_server_start (const char * const *args,
                      GError            **error)
{
  g_autoptr(PbTestServer) self = g_new0 (PbTestServer, 1);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) data = NULL;
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) timeout = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *line = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *program = g_getenv ("PLUGBOARD_SERVER");
  gboolean timed_out = FALSE;
  JsonNode *root;
  Drain *drain;

  if (program == NULL || *program == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "PLUGBOARD_SERVER is not set: run the tests with meson test.");
      return NULL;
    }

  g_ptr_array_add (argv, (gpointer) program);
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  /* stdout is the server's announcement; stderr goes to the test log. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  self->process = g_subprocess_launcher_spawnv (launcher,
                                                (const char * const *) argv->pdata, error);
  if (self->process == NULL)
    {
      g_prefix_error (error, "Could not start %s: ", program);
      return NULL;
    }

  data = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (data), 64 * 1024);
  g_data_input_stream_read_line_async (data, G_PRIORITY_DEFAULT, cancellable,
                                       on_line_read, &result);

  timeout = g_timeout_source_new_seconds (START_TIMEOUT_SECONDS);
  g_source_set_callback (timeout, on_start_timeout, &timed_out, NULL);
  g_source_attach (timeout, context);

  while (result == NULL)
    {
      if (timed_out)
        g_cancellable_cancel (cancellable);
      g_main_context_iteration (context, TRUE);
    }
  g_source_destroy (timeout);

  line = g_data_input_stream_read_line_finish_utf8 (data, result, NULL, &local_error);
  if (line == NULL)
    {
      if (timed_out)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                     "%s printed nothing within %u seconds.", program, START_TIMEOUT_SECONDS);
      else if (local_error != NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "Could not read the first line of %s: %s", program, local_error->message);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "%s exited before printing its URL (see its messages above).", program);
      return NULL;
    }

  /* The line holds keys: never put it in a message. */
  if (!json_parser_load_from_data (parser, line, -1, NULL)
      || (root = json_parser_get_root (parser)) == NULL
      || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The first line of %s is not a JSON object (%zu bytes).",
                   program, strlen (line));
      return NULL;
    }

  self->info = json_object_ref (json_node_get_object (root));
  if (!json_object_has_member (self->info, "url")
      || json_object_get_string_member (self->info, "url") == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The first line of %s has no “url”.", program);
      return NULL;
    }
  self->url = g_strdup (json_object_get_string_member (self->info, "url"));

  self->drain_cancellable = g_cancellable_new ();
  drain = g_new0 (Drain, 1);
  drain->stream = G_INPUT_STREAM (g_object_ref (data));
  drain->cancellable = g_object_ref (self->drain_cancellable);
  drain_next (drain);

  return g_steal_pointer (&self);
}

PbTestServer *
pb_test_server_start_demo (const char * const *extra_args,
                           GError            **error)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  PbTestServer *self;

  g_ptr_array_add (args, (gpointer) "demo");
  g_ptr_array_add (args, (gpointer) "--listen");
  g_ptr_array_add (args, (gpointer) "127.0.0.1:0");
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) extra_args[i]);
  g_ptr_array_add (args, NULL);

  self = pb_test_server_start ((const char * const *) args->pdata, error);
  if (self == NULL)
    return NULL;

  if (pb_test_server_get_n_projects (self) == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "plugboard-server demo announced no projects.");
      pb_test_server_stop (self);
      return NULL;
    }

  return self;
}

static gboolean
on_stop_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
on_waited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

void
pb_test_server_stop (PbTestServer *self)
{
  if (self == NULL)
    return;

  if (self->drain_cancellable != NULL)
    g_cancellable_cancel (self->drain_cancellable);

  if (self->process != NULL)
    {
      g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
      g_autoptr(GSource) timeout = g_timeout_source_new_seconds (STOP_TIMEOUT_SECONDS);
      gboolean done = FALSE;
      gboolean timed_out = FALSE;

      g_subprocess_send_signal (self->process, SIGTERM);
      g_subprocess_wait_async (self->process, NULL, on_waited, &done);
      g_source_set_callback (timeout, on_stop_timeout, &timed_out, NULL);
      g_source_attach (timeout, context);
      while (!done && !timed_out)
        g_main_context_iteration (context, TRUE);
      g_source_destroy (timeout);

      if (!done)
        {
          g_subprocess_force_exit (self->process);
          while (!done)
            g_main_context_iteration (context, TRUE);
        }
    }

  g_clear_object (&self->process);
  g_clear_object (&self->drain_cancellable);
  g_clear_pointer (&self->info, json_object_unref);
  g_free (self->url);
  g_free (self);
}

const char *
pb_test_server_get_url (PbTestServer *self)
{
  return self->url;
}

JsonObject *
pb_test_server_get_info (PbTestServer *self)
{
  return self->info;
}

static JsonArray *
projects (PbTestServer *self)
{
  JsonNode *node = json_object_get_member (self->info, "projects");

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  return json_node_get_array (node);
}

guint
pb_test_server_get_n_projects (PbTestServer *self)
{
  JsonArray *array = projects (self);

  return array != NULL ? json_array_get_length (array) : 0;
}

JsonObject *
pb_test_server_get_project (PbTestServer *self,
                            guint         index)
{
  JsonArray *array = projects (self);
  JsonNode *node;

  if (array == NULL || index >= json_array_get_length (array))
    return NULL;

  node = json_array_get_element (array, index);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
project_string (PbTestServer *self,
                guint         index,
                const char   *member)
{
  JsonObject *project = pb_test_server_get_project (self, index);
  JsonNode *node;

  if (project == NULL)
    return NULL;

  node = json_object_get_member (project, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

const char *
pb_test_server_get_admin_key (PbTestServer *self,
                              guint         index)
{
  return project_string (self, index, "admin_key");
}

const char *
pb_test_server_get_viewer_key (PbTestServer *self,
                               guint         index)
{
  return project_string (self, index, "viewer_key");
}

guint16
pb_test_server_closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         NULL);
  g_assert_nonnull (socket);
  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  g_assert_nonnull (bound);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  return port;
}
