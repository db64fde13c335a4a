/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pb-server"

#include "config.h"

#include "pb-server-crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#define NONCE_BYTES 12
#define TAG_BYTES   16

struct _PbCrypto
{
  guint8 key[PB_SERVER_KEY_BYTES];
  GMutex lock;                      /* the cipher handle is used by every worker thread */
  gnutls_aead_cipher_hd_t aead;
};

void
pb_crypto_random (guint8 *buffer,
                  gsize   length)
{
  if (gnutls_rnd (GNUTLS_RND_KEY, buffer, length) != 0)
    g_error ("The system random number generator failed");
}

char *
pb_crypto_random_token (gsize n_bytes)
{
  g_autofree guint8 *raw = g_malloc (n_bytes);
  g_autofree char *b64 = NULL;
  char *p;

  pb_crypto_random (raw, n_bytes);
  b64 = g_base64_encode (raw, n_bytes);
  for (p = b64; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return g_steal_pointer (&b64);
}

char *
pb_crypto_sha256_hex (const char *salt,
                      const char *data)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  if (salt != NULL)
    g_checksum_update (sum, (const guchar *) salt, strlen (salt));
  g_checksum_update (sum, (const guchar *) ":", 1);
  g_checksum_update (sum, (const guchar *) data, strlen (data));
  return g_strdup (g_checksum_get_string (sum));
}

gboolean
pb_crypto_equal (const char *a,
                 const char *b)
{
  gsize la = strlen (a), lb = strlen (b), i;
  guint8 diff = la != lb;

  /* Same work whatever the content, so timing tells nothing. */
  for (i = 0; i < la && i < lb; i++)
    diff |= (guint8) (a[i] ^ b[i]);
  return diff == 0;
}

static gboolean
read_key_file (const char  *path,
               guint8      *key,
               GError     **error)
{
  struct stat st;
  int fd;
  gssize n;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not open the key file “%s”: %s", path, g_strerror (saved));
      return FALSE;
    }
  if (fstat (fd, &st) == 0 && (st.st_mode & 077) != 0)
    g_warning ("The key file “%s” is readable by other users; it should have mode 0600", path);
  n = read (fd, key, PB_SERVER_KEY_BYTES);
  close (fd);
  if (n != PB_SERVER_KEY_BYTES || st.st_size != PB_SERVER_KEY_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The key file “%s” must hold exactly %d bytes", path, PB_SERVER_KEY_BYTES);
      return FALSE;
    }
  return TRUE;
}

static gboolean
create_key_file (const char  *path,
                 guint8      *key,
                 GError     **error)
{
  int fd;
  gsize done = 0;

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not create the key file “%s”: %s", path, g_strerror (saved));
      return FALSE;
    }
  pb_crypto_random (key, PB_SERVER_KEY_BYTES);
  while (done < PB_SERVER_KEY_BYTES)
    {
      gssize n = write (fd, key + done, PB_SERVER_KEY_BYTES - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;
          close (fd);
          g_unlink (path);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "Could not write the key file “%s”: %s", path, g_strerror (saved));
          return FALSE;
        }
      done += n;
    }
  fsync (fd);
  close (fd);
  return TRUE;
}

PbCrypto *
pb_crypto_new_from_key_file (const char  *path,
                             GError     **error)
{
  g_autoptr(PbCrypto) self = g_new0 (PbCrypto, 1);
  gnutls_datum_t datum;
  int ret;

  g_mutex_init (&self->lock);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!read_key_file (path, self->key, error))
        return NULL;
    }
  else if (!create_key_file (path, self->key, error))
    return NULL;

  datum.data = self->key;
  datum.size = PB_SERVER_KEY_BYTES;
  ret = gnutls_aead_cipher_init (&self->aead, GNUTLS_CIPHER_AES_256_GCM, &datum);
  if (ret < 0)
    {
      self->aead = NULL;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Could not set up AES-256-GCM: %s", gnutls_strerror (ret));
      return NULL;
    }
  return g_steal_pointer (&self);
}

void
pb_crypto_free (PbCrypto *self)
{
  if (self == NULL)
    return;
  if (self->aead != NULL)
    gnutls_aead_cipher_deinit (self->aead);
  g_mutex_clear (&self->lock);
  memset (self->key, 0, sizeof self->key);
  g_free (self);
}

GBytes *
pb_crypto_encrypt (PbCrypto   *self,
                   const char *aad,
                   const char *plaintext,
                   gsize       length)
{
  gsize out_len = length + TAG_BYTES;
  guint8 *out = g_malloc (NONCE_BYTES + out_len);
  int ret;

  pb_crypto_random (out, NONCE_BYTES);
  g_mutex_lock (&self->lock);
  ret = gnutls_aead_cipher_encrypt (self->aead, out, NONCE_BYTES,
                                    aad, strlen (aad), TAG_BYTES,
                                    plaintext, length, out + NONCE_BYTES, &out_len);
  g_mutex_unlock (&self->lock);
  if (ret < 0)
    g_error ("Encryption failed: %s", gnutls_strerror (ret));
  return g_bytes_new_take (out, NONCE_BYTES + out_len);
}

char *
pb_crypto_decrypt (PbCrypto     *self,
                   const char   *aad,
                   const guint8 *data,
                   gsize         length,
                   gsize        *out_length)
{
  g_autofree char *out = NULL;
  gboolean ok;
  gsize out_len;

  if (length < NONCE_BYTES + TAG_BYTES)
    return NULL;
  out_len = length - NONCE_BYTES;
  out = g_malloc (out_len + 1);
  g_mutex_lock (&self->lock);
  ok = gnutls_aead_cipher_decrypt (self->aead, data, NONCE_BYTES, aad, strlen (aad), TAG_BYTES,
                                   data + NONCE_BYTES, length - NONCE_BYTES, out, &out_len) >= 0;
  g_mutex_unlock (&self->lock);
  if (!ok)
    return NULL;
  out[out_len] = '\0';
  if (out_length != NULL)
    *out_length = out_len;
  return g_steal_pointer (&out);
}

char *
pb_crypto_fingerprint (PbCrypto   *self,
                       const char *data,
                       gsize       length)
{
  return g_compute_hmac_for_data (G_CHECKSUM_SHA256, self->key, sizeof self->key,
                                  (const guchar *) data, length);
}
