# Run one `ekg check` and compare: -DEKG=… -DARGS="a;b" -DEXPECT_RC=N
# [-DEXPECTED=file (stdout must equal it)] [-DSTDERR_MATCH=regex]
separate_arguments(args NATIVE_COMMAND "${ARGS}")
execute_process(COMMAND ${EKG} ${args} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
if(NOT rc STREQUAL EXPECT_RC)
  message(FATAL_ERROR "exit ${rc}, expected ${EXPECT_RC}\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(DEFINED EXPECTED)
  file(READ ${EXPECTED} want)
  if(NOT out STREQUAL want)
    message(FATAL_ERROR "output differs from ${EXPECTED}\n--- got:\n${out}\n--- want:\n${want}")
  endif()
endif()
if(DEFINED STDERR_MATCH AND NOT err MATCHES "${STDERR_MATCH}")
  message(FATAL_ERROR "stderr does not match '${STDERR_MATCH}':\n${err}")
endif()
