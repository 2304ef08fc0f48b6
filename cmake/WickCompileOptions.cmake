# Compile options for Wick's own targets (library, CUDA backend, tests, examples, benchmarks).
# They are PRIVATE: nothing here leaks into a project that links wick::wick.
include_guard(GLOBAL)
include(CheckCXXCompilerFlag)

# -march: this machine's ISA, or a portable x86-64 baseline (AVX-less SSE4.2, POPCNT).
set(WICK_ARCH_FLAGS "")
if(WICK_NATIVE)
  check_cxx_compiler_flag("-march=native" WICK_HAS_MARCH_NATIVE)
  if(WICK_HAS_MARCH_NATIVE)
    set(WICK_ARCH_FLAGS "-march=native")
  endif()
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  check_cxx_compiler_flag("-march=x86-64-v2" WICK_HAS_MARCH_X86_64_V2)
  if(WICK_HAS_MARCH_X86_64_V2)
    set(WICK_ARCH_FLAGS "-march=x86-64-v2")
  endif()
endif()

set(WICK_WARNING_FLAGS -Wall -Wextra)
if(WICK_WERROR)
  list(APPEND WICK_WARNING_FLAGS -Werror)
endif()

# wick_target_options(<target>): warnings and -march for one of Wick's own targets.
function(wick_target_options target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:${WICK_WARNING_FLAGS} ${WICK_ARCH_FLAGS}>)
  if(WICK_ARCH_FLAGS)
    target_compile_options(${target} PRIVATE
      $<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=${WICK_ARCH_FLAGS}>)
  endif()
  if(WICK_WERROR)
    # nvcc's own warnings (host code warnings come from the C++ compiler via -Xcompiler).
    target_compile_options(${target} PRIVATE
      $<$<COMPILE_LANGUAGE:CUDA>:-Werror=all-warnings -Xcompiler=-Wall,-Wextra,-Werror>)
  endif()
endfunction()

# wick_link_backends(<target>): link the library and, when built, the CUDA backend. The backend
# registers itself from a static initializer, so its archive is linked whole.
function(wick_link_backends target)
  target_link_libraries(${target} PRIVATE wick::wick)
  if(TARGET wick_cuda)
    target_link_libraries(${target} PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,wick::wick_cuda>")
  endif()
endfunction()
