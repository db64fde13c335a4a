/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include <errno.h>
#include <sys/socket.h>

#include "pb-server-private.h"

/* Closing keep-alive connections that the client closed while idle (libsoup < 3.3).
 *
 * libsoup 3.2 leaks them: after a keep-alive response it makes the next SoupServerMessage and waits
 * for its first bytes, but only emits SoupServer::request-started (and only then sets the
 * completion callback) once some bytes arrive. When the client closes the idle connection
 * instead, libsoup reads EOF, finishes that message with no completion callback, and nothing
 * ever disconnects the connection: the socket stays in CLOSE-WAIT and its descriptor is never
 * closed, until the process runs out of descriptors. (Fixed upstream in 3.3.0, commit d20c6601
 * "Don't leak idle connections closed by the client".) No public signal tells us about that
 * idle message, so we watch the socket ourselves:
 *
 *  - on request-finished of a keep-alive response we remember the connection's GSocket with the
 *    message that just finished (its connection is the one to close), and attach a
 *    G_PRIORITY_HIGH source for G_IO_IN on the socket. After request-aborted (where libsoup may
 *    or may not keep the connection) we do the same from a G_PRIORITY_HIGH idle, once libsoup
 *    has decided: if it closed the connection, the GSocket says it is closed;
 *  - when it fires we peek one byte (MSG_PEEK | MSG_DONTWAIT on the descriptor, which reads
 *    nothing). Bytes: a request is coming, libsoup reads it, we forget the socket until the next
 *    request-finished. EOF or an error: the client is gone, and we take the connection back
 *    with soup_server_message_steal_connection() on the finished message and close it. Stealing
 *    removes the connection from SoupServer's list and frees it, so nothing of it stays behind.
 *  - request-started for a message on a watched socket (a request libsoup had already buffered,
 *    or TLS records decrypted) also makes us forget it.
 *
 * Stealing is only safe while libsoup's idle message has read nothing (in 3.2,
 * soup_server_message_io_http1_steal dereferences the current message's I/O, which is gone once
 * libsoup has read EOF and finished it). Our source therefore has a higher priority than
 * libsoup's (G_PRIORITY_DEFAULT) on the same descriptor: GLib dispatches only the ready sources
 * of the highest priority in a main loop iteration, so when the descriptor becomes readable we
 * run first, and we never leave our source attached after seeing bytes (no starvation). Reading
 * a byte of a request makes libsoup emit request-started, so while a socket is watched libsoup has
 * not read from it.
 *
 * Descriptors are never touched after libsoup closed them: we hold a reference on the GSocket,
 * and check g_socket_is_closed() before every recv(). A closed GSocket remembers that it is
 * closed, so even if the number was reused by a newer connection we do nothing with it. When we
 * close a connection, libsoup's own source for it is destroyed by the steal before the close.
 *
 * TLS: a client closing a TLS connection first sends a close_notify record, which our peek on
 * the raw socket cannot tell from the start of a request (TLS 1.3 encrypts alerts). So over
 * HTTPS the answers carry "Connection: close" and libsoup closes the connection after each
 * response (that works in 3.2); clients reconnect for each request.
 *
 * libsoup 3.3 and later close such connections themselves, so all this is only enabled when the
 * libsoup the program runs with is older (checked at run time: the Flatpak builds with a newer
 * one). HTTP/2 connections (not enabled by this server) are left alone. */

typedef struct
{
  PbIdleWatch       *owner;
  GSocket           *socket;
  SoupServerMessage *msg;       /* the last message finished on the connection */
  GSource           *source;    /* NULL until armed */
} Watch;

struct _PbIdleWatch
{
  SoupServer *soup;           /* not owned */
  GHashTable *watched;        /* GSocket → Watch */
  GPtrArray  *pending;        /* GSocket (ref): to arm at the next idle */
  guint       arm_source;
  gboolean    https;
  gulong      handlers[3];
  guint       closed;         /* connections closed, for the debug log */
};

static void
watch_free (gpointer data)
{
  Watch *watch = data;

  if (watch->source != NULL)
    {
      g_source_destroy (watch->source);
      g_source_unref (watch->source);
    }
  g_clear_object (&watch->msg);
  g_clear_object (&watch->socket);
  g_free (watch);
}

gboolean
pb_idle_watch_needed (void)
{
  return soup_get_major_version () == 3 && soup_get_minor_version () < 3;
}

static gboolean
on_socket_ready (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  Watch *watch = user_data;
  PbIdleWatch *self = watch->owner;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(SoupServerMessage) msg = NULL;
  char byte;
  gssize n;

  if (g_socket_is_closed (socket))
    {
      /* libsoup closed it after all (an error, or the server shutting down): its descriptor
       * number may already belong to a newer connection, so do nothing with it. */
      g_hash_table_remove (self->watched, socket);
      return G_SOURCE_REMOVE;
    }
  do
    n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    return G_SOURCE_CONTINUE;
  if (n > 0)
    {
      /* A request is arriving: libsoup reads it. We look again after its response. */
      g_hash_table_remove (self->watched, socket);
      return G_SOURCE_REMOVE;
    }

  /* EOF or a socket error while idle: the client has gone. The source is destroyed with the
   * watch; keep the message alive across the removal to steal with it. */
  msg = g_object_ref (watch->msg);
  g_hash_table_remove (self->watched, socket);
  stream = soup_server_message_steal_connection (msg);
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
  self->closed++;
  return G_SOURCE_REMOVE;
}

/* Starts watching @watch's socket. */
static void
watch_arm (Watch *watch)
{
  /* The finished message's bodies are not needed any more; only its connection is. */
  soup_message_body_truncate (soup_server_message_get_request_body (watch->msg));
  soup_message_body_truncate (soup_server_message_get_response_body (watch->msg));
  watch->source = g_socket_create_source (watch->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_priority (watch->source, G_PRIORITY_HIGH);
  g_source_set_static_name (watch->source, "[plugboard] idle connection watch");
  g_source_set_callback (watch->source, G_SOURCE_FUNC (on_socket_ready), watch, NULL);
  g_source_attach (watch->source, g_main_context_get_thread_default ());
}

static gboolean
arm_pending (gpointer user_data)
{
  PbIdleWatch *self = user_data;
  guint i;

  self->arm_source = 0;
  for (i = 0; i < self->pending->len; i++)
    {
      GSocket *socket = self->pending->pdata[i];
      Watch *watch = g_hash_table_lookup (self->watched, socket);

      if (watch == NULL || watch->source != NULL)
        continue;   /* a request started meanwhile, or armed already */
      if (g_socket_is_closed (socket))
        {
          /* Not kept alive: libsoup closed it after the response. */
          g_hash_table_remove (self->watched, socket);
          continue;
        }
      watch_arm (watch);
    }
  g_ptr_array_set_size (self->pending, 0);
  return G_SOURCE_REMOVE;
}

/* Whether libsoup keeps the connection of @msg open for another request: the rules of
 * soup_server_message_is_keepalive(), which is not public, for HTTP/1.x. */
static gboolean
is_keepalive (SoupServerMessage *msg)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);

  if (soup_message_headers_get_encoding (response) == SOUP_ENCODING_EOF)
    return FALSE;
  if (soup_server_message_get_http_version (msg) == SOUP_HTTP_1_0)
    return soup_message_headers_header_contains (response, "Connection", "Keep-Alive");
  return !soup_message_headers_header_contains (request, "Connection", "close")
         && !soup_message_headers_header_contains (response, "Connection", "close");
}

static void
watch_message (PbIdleWatch       *self,
               SoupServerMessage *msg,
               gboolean           aborted)
{
  GSocket *socket;
  Watch *watch;

  if (self->https || soup_server_message_get_http_version (msg) >= SOUP_HTTP_2_0)
    return;
  if (!aborted && !is_keepalive (msg))
    return;   /* libsoup closes it right after this signal */
  socket = soup_server_message_get_socket (msg);
  if (socket == NULL || g_socket_is_closed (socket))
    return;
  watch = g_new0 (Watch, 1);
  watch->owner = self;
  watch->socket = g_object_ref (socket);
  watch->msg = g_object_ref (msg);
  g_hash_table_replace (self->watched, socket, watch);
  if (!aborted)
    {
      /* Arming now is safe: libsoup's source for the next request is only made after this
       * signal, and if libsoup closes the connection after all, the GSocket says so. */
      watch_arm (watch);
      return;
    }
  /* An aborted request (an error, or a 500 answer on a connection that stays open): whether
   * libsoup keeps the connection is only known after this signal, so look from an idle of
   * G_PRIORITY_HIGH, before libsoup's sources get another turn (see above). */
  g_ptr_array_add (self->pending, g_object_ref (socket));
  if (self->arm_source == 0)
    {
      self->arm_source = g_idle_add_full (G_PRIORITY_HIGH, arm_pending, self, NULL);
      g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->arm_source),
                                "[plugboard] arm idle connection watches");
    }
}

static void
on_request_finished (SoupServer        *soup,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  watch_message (user_data, msg, FALSE);
}

static void
on_request_aborted (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  watch_message (user_data, msg, TRUE);
}

static void
on_request_started (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  PbIdleWatch *self = user_data;
  GSocket *socket;

  if (self->https)
    {
      /* See above: over TLS the server closes the connection after each answer. */
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                    "close");
      return;
    }
  socket = soup_server_message_get_socket (msg);
  if (socket != NULL)
    g_hash_table_remove (self->watched, socket);
}

PbIdleWatch *
pb_idle_watch_new (SoupServer *soup)
{
  PbIdleWatch *self = g_new0 (PbIdleWatch, 1);

  self->soup = soup;
  self->https = soup_server_is_https (soup);
  self->watched = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, watch_free);
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  self->handlers[0] = g_signal_connect (soup, "request-started", G_CALLBACK (on_request_started), self);
  self->handlers[1] = g_signal_connect (soup, "request-finished", G_CALLBACK (on_request_finished), self);
  self->handlers[2] = g_signal_connect (soup, "request-aborted", G_CALLBACK (on_request_aborted), self);
  return self;
}

void
pb_idle_watch_free (PbIdleWatch *self)
{
  guint i;

  if (self == NULL)
    return;
  for (i = 0; i < G_N_ELEMENTS (self->handlers); i++)
    g_clear_signal_handler (&self->handlers[i], self->soup);
  g_clear_handle_id (&self->arm_source, g_source_remove);
  g_debug ("closed %u idle connections the clients had closed", self->closed);
  g_hash_table_unref (self->watched);
  g_ptr_array_unref (self->pending);
  g_free (self);
}
