/*
 * rxporter's timex addon: one function, adjtimex(), that reads the kernel clock
 * discipline state with adjtimex(2) (modes 0: read only, no privilege needed) and
 * returns the struct timex fields plus the call's return value, the clock state
 * (TIME_OK 0 … TIME_ERROR 5). On failure it throws an Error whose `code` is the errno
 * name (EPERM when seccomp forbids the call) and whose `errno` is the number.
 * Plain Node-API (node_api.h), no dependency; see src/native/timex.ts.
 */
#define NAPI_VERSION 8
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/timex.h>
#include <node_api.h>

/* Returns NULL (a pending JS exception) when a Node-API call fails. */
#define CHECK(env, call)                                                       \
  do {                                                                         \
    if ((call) != napi_ok) {                                                   \
      napi_throw_error((env), "ERR_NAPI", "timex addon: Node-API call failed"); \
      return NULL;                                                             \
    }                                                                          \
  } while (0)

static napi_status set_int(napi_env env, napi_value obj, const char *key, int64_t v) {
  napi_value n;
  napi_status s = napi_create_int64(env, v, &n);
  return s == napi_ok ? napi_set_named_property(env, obj, key, n) : s;
}

static const char *errno_name(int e) {
  switch (e) {
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    case ENOSYS: return "ENOSYS";
    default: return "EUNKNOWN";
  }
}

static napi_value js_adjtimex(napi_env env, napi_callback_info info) {
  (void)info;
  struct timex tx;
  memset(&tx, 0, sizeof tx); /* modes 0: read the state, change nothing */
  int state = adjtimex(&tx);
  if (state == -1) {
    int e = errno;
    napi_value code, msg, err, num;
    CHECK(env, napi_create_string_utf8(env, errno_name(e), NAPI_AUTO_LENGTH, &code));
    CHECK(env, napi_create_string_utf8(env, strerror(e), NAPI_AUTO_LENGTH, &msg));
    CHECK(env, napi_create_error(env, code, msg, &err));
    CHECK(env, napi_create_int32(env, e, &num));
    CHECK(env, napi_set_named_property(env, err, "errno", num));
    napi_throw(env, err);
    return NULL;
  }
  napi_value o;
  CHECK(env, napi_create_object(env, &o));
  CHECK(env, set_int(env, o, "state", state));
  CHECK(env, set_int(env, o, "modes", tx.modes));
  CHECK(env, set_int(env, o, "offset", tx.offset));
  CHECK(env, set_int(env, o, "freq", tx.freq));
  CHECK(env, set_int(env, o, "maxerror", tx.maxerror));
  CHECK(env, set_int(env, o, "esterror", tx.esterror));
  CHECK(env, set_int(env, o, "status", tx.status));
  CHECK(env, set_int(env, o, "constant", tx.constant));
  CHECK(env, set_int(env, o, "precision", tx.precision));
  CHECK(env, set_int(env, o, "tolerance", tx.tolerance));
  CHECK(env, set_int(env, o, "timeSec", tx.time.tv_sec));
  /* Microseconds, or nanoseconds when STA_NANO is set in status. */
  CHECK(env, set_int(env, o, "timeFrac", tx.time.tv_usec));
  CHECK(env, set_int(env, o, "tick", tx.tick));
  CHECK(env, set_int(env, o, "ppsfreq", tx.ppsfreq));
  CHECK(env, set_int(env, o, "jitter", tx.jitter));
  CHECK(env, set_int(env, o, "shift", tx.shift));
  CHECK(env, set_int(env, o, "stabil", tx.stabil));
  CHECK(env, set_int(env, o, "jitcnt", tx.jitcnt));
  CHECK(env, set_int(env, o, "calcnt", tx.calcnt));
  CHECK(env, set_int(env, o, "errcnt", tx.errcnt));
  CHECK(env, set_int(env, o, "stbcnt", tx.stbcnt));
  CHECK(env, set_int(env, o, "tai", tx.tai));
  return o;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  CHECK(env, napi_create_function(env, "adjtimex", NAPI_AUTO_LENGTH, js_adjtimex, NULL, &fn));
  CHECK(env, napi_set_named_property(env, exports, "adjtimex", fn));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
