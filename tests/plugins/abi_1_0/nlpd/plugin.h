/*
 * nlpd plugin ABI, version 1.
 *
 * The boundary between the nlpd server and an analysis plugin is this plain
 * C interface. No C++ type, exception, STL container or protobuf object
 * crosses it: documents and results cross as serialized protobuf bytes, and
 * everything else as the C types below. A plugin built against this header
 * with any compiler and any protobuf version works with every server that
 * speaks ABI version 1.
 *
 * A plugin is a shared library named libnlpd_<name>.so that exports one
 * symbol, nlpd_plugin_v1 (see the end of this file). The server dlopen()s
 * the file, calls nlpd_plugin_v1() once, checks the ABI version in the
 * returned table, and then drives the plugin through it:
 *
 *   create(host, args, &instance)     once, at server start
 *   analyze(instance, input, sink)    once per document, from worker threads
 *   destroy(instance)                 once, at shutdown
 *
 * Errors. Every call that can fail returns an nlpd_error*, NULL on success.
 * A plugin makes errors with host->error_new(); the server takes ownership
 * of a returned error and frees it. A failing analyze() fails only the
 * request it was called for.
 *
 * Memory. Whoever allocates frees. Input pointers are owned by the server
 * and valid only during the call. Results are copied by the server out of
 * host->result_write(), so the plugin keeps ownership of its own buffers.
 * Static strings in the descriptor must live as long as the library is
 * loaded.
 *
 * Versioning. The major version is part of the entry symbol's name: an ABI
 * v2 plugin exports nlpd_plugin_v2 and a v1 server refuses it with a clear
 * message. Minor versions only add fields at the end of structs; every
 * struct starts with its size so both sides can tell which fields exist.
 */
#ifndef NLPD_PLUGIN_H_
#define NLPD_PLUGIN_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NLPD_ABI_VERSION_MAJOR 1
#define NLPD_ABI_VERSION_MINOR 0

#if defined(__GNUC__)
#define NLPD_EXPORT __attribute__((visibility("default")))
#else
#define NLPD_EXPORT
#endif

/* Error codes. The values are those of google.rpc.Code, so the server maps
 * them to gRPC statuses unchanged. */
typedef enum nlpd_error_code {
  NLPD_ERROR_CANCELLED = 1,
  NLPD_ERROR_UNKNOWN = 2,
  NLPD_ERROR_INVALID_ARGUMENT = 3,
  NLPD_ERROR_NOT_FOUND = 5,
  NLPD_ERROR_FAILED_PRECONDITION = 9,
  NLPD_ERROR_UNIMPLEMENTED = 12,
  NLPD_ERROR_INTERNAL = 13,
  NLPD_ERROR_UNAVAILABLE = 14
} nlpd_error_code;

/* An error: a code and a message. Opaque; made by the server through
 * nlpd_host_api.error_new and owned by whoever holds the pointer. */
typedef struct nlpd_error nlpd_error;

/* Where analyze() writes its result. Opaque; owned by the server. */
typedef struct nlpd_result_sink nlpd_result_sink;

/* A plugin's per-server state. Opaque to the server; owned by the plugin
 * from create() until destroy(). */
typedef struct nlpd_plugin_instance nlpd_plugin_instance;

/* Log levels for nlpd_host_api.log. */
typedef enum nlpd_log_level {
  NLPD_LOG_DEBUG = 0,
  NLPD_LOG_INFO = 1,
  NLPD_LOG_WARNING = 2,
  NLPD_LOG_ERROR = 3
} nlpd_log_level;

/* Services the server offers the plugin. The table and its functions stay
 * valid from create() until destroy() returns; every function is
 * thread-safe. */
typedef struct nlpd_host_api {
  /* sizeof(nlpd_host_api) as the server was built; fields beyond it are
   * absent. */
  size_t struct_size;
  /* ABI version the server speaks. */
  uint32_t abi_major;
  uint32_t abi_minor;
  /* Returns a new error with a copy of `message` (NUL-terminated UTF-8; NULL
   * means empty). Never returns NULL. Ownership passes to the caller, who
   * hands it to the server by returning it. */
  nlpd_error* (*error_new)(nlpd_error_code code, const char* message);
  /* Sets the result of the current analyze() call: `size` bytes of a
   * serialized message of the plugin's result_type. The server copies the
   * bytes; a second call replaces the first. Returns NULL, or an error the
   * plugin should return (e.g. INVALID_ARGUMENT for a NULL sink). */
  nlpd_error* (*result_write)(nlpd_result_sink* sink, const uint8_t* data,
                              size_t size);
  /* Writes `message` to the server's log, tagged with the plugin's name. */
  void (*log)(nlpd_log_level level, const char* message);
} nlpd_host_api;

/* What the plugin is. All pointers are static: they must stay valid while
 * the library is loaded. */
typedef struct nlpd_plugin_descriptor {
  /* sizeof(nlpd_plugin_descriptor) as the plugin was built. */
  size_t struct_size;
  /* The analysis name clients ask for: lower case, [a-z0-9_]+, unique in a
   * server. By convention the file is libnlpd_<name>.so. */
  const char* name;
  /* The plugin's own version, e.g. "1.2.0". */
  const char* version;
  /* One line on what the analysis does. */
  const char* description;
  /* BCP-47 language codes supported; {"*"} means any. The server skips the
   * plugin for documents in other languages (outcome UNSUPPORTED_LANGUAGE). */
  const char* const* languages;
  size_t language_count;
  /* Analysis names whose results this plugin needs; the server runs them
   * first and passes their results in PluginRequest.dependency_results. */
  const char* const* dependencies;
  size_t dependency_count;
  /* Full protobuf name of the result message, e.g.
   * "nlpd.keywords.v1.KeywordsResult". */
  const char* result_type;
  /* Serialized google.protobuf.FileDescriptorSet containing result_type and
   * every file it imports (may omit google/protobuf/ and nlpd/v1/ files).
   * NULL/0 for result types of nlpd.v1. */
  const uint8_t* descriptor_set;
  size_t descriptor_set_size;
  /* Non-zero when analyze() may be called concurrently on one instance.
   * Zero makes the server serialize the calls of each instance. */
  int thread_safe;
} nlpd_plugin_descriptor;

/* Arguments of create(). Valid only during the call; copy what you keep. */
typedef struct nlpd_create_args {
  size_t struct_size;
  /* The plugin's configuration (ServerConfig.plugins[name].config), not
   * NUL-terminated; empty when none was given. Its format is the plugin's. */
  const char* config;
  size_t config_size;
  /* NUL-terminated directory holding the plugin's file; plugins find their
   * model files relative to it. */
  const char* plugin_dir;
} nlpd_create_args;

/* Input of analyze(). Valid only during the call. */
typedef struct nlpd_analyze_input {
  size_t struct_size;
  /* A serialized nlpd.v1.PluginRequest: the document and the results of the
   * plugin's dependencies. */
  const uint8_t* request;
  size_t request_size;
  /* Shortcuts for plugins that need only the text: the normalized UTF-8 text
   * (not NUL-terminated) and the NUL-terminated language code. */
  const char* text;
  size_t text_size;
  const char* language;
} nlpd_analyze_input;

/* The table a plugin exports. Static: valid while the library is loaded. */
typedef struct nlpd_plugin_api {
  /* sizeof(nlpd_plugin_api) as the plugin was built. */
  size_t struct_size;
  /* The ABI version the plugin was built against: NLPD_ABI_VERSION_MAJOR
   * and NLPD_ABI_VERSION_MINOR. The server refuses another major version,
   * and a minor version newer than its own. */
  uint32_t abi_major;
  uint32_t abi_minor;
  const nlpd_plugin_descriptor* descriptor;

  /* Makes an instance. Called once per server, before any analyze(), from
   * the server's main thread. On success sets *instance (may be NULL if the
   * plugin keeps no state) and returns NULL; on error returns the error and
   * the server does not load the plugin. */
  nlpd_error* (*create)(const nlpd_host_api* host, const nlpd_create_args* args,
                        nlpd_plugin_instance** instance);

  /* Analyzes one document: writes the result through host->result_write
   * (sink) and returns NULL, or returns an error that fails this request
   * only. Called from worker threads; concurrently on the same instance only
   * when descriptor->thread_safe is non-zero. Must not keep `input` or
   * `sink` after returning. */
  nlpd_error* (*analyze)(nlpd_plugin_instance* instance,
                         const nlpd_analyze_input* input,
                         nlpd_result_sink* sink);

  /* Frees the instance. Called once, after every analyze() has returned. */
  void (*destroy)(nlpd_plugin_instance* instance);
} nlpd_plugin_api;

/* The entry point. Returns the plugin's static table; never NULL. The server
 * calls it once, right after loading the library. */
typedef const nlpd_plugin_api* (*nlpd_plugin_v1_fn)(void);
NLPD_EXPORT const nlpd_plugin_api* nlpd_plugin_v1(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* NLPD_PLUGIN_H_ */
