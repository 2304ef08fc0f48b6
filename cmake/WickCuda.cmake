# The CUDA backend: decides WICK_CUDA (AUTO/ON/OFF) and builds cuda/*.cu, cuda/*.cpp into the
# static library wick_cuda. It does not touch the CPU library, which never includes CUDA headers.
include_guard(GLOBAL)
include(CheckLanguage)

string(TOUPPER "${WICK_CUDA}" _wick_cuda_mode)
if(NOT _wick_cuda_mode MATCHES "^(AUTO|ON|OFF)$")
  message(FATAL_ERROR "WICK_CUDA must be AUTO, ON or OFF, got '${WICK_CUDA}'")
endif()

set(WICK_CUDA_ENABLED OFF)
if(NOT _wick_cuda_mode STREQUAL "OFF")
  set(_wick_cuda_missing "")
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    find_package(CUDAToolkit QUIET)
  endif()
  if(NOT CMAKE_CUDA_COMPILER OR NOT CUDAToolkit_FOUND)
    list(APPEND _wick_cuda_missing "nvcc/CUDA toolkit")
  else()
    find_path(WICK_CUDNN_INCLUDE_DIR cudnn.h
      HINTS ${CUDAToolkit_INCLUDE_DIRS} /usr/local/cuda/include
      PATH_SUFFIXES cudnn)
    find_library(WICK_CUDNN_LIBRARY cudnn
      HINTS ${CUDAToolkit_LIBRARY_DIR} /usr/local/cuda/lib64 /usr/local/cuda/lib
      PATH_SUFFIXES cudnn)
    mark_as_advanced(WICK_CUDNN_INCLUDE_DIR WICK_CUDNN_LIBRARY)
    if(NOT WICK_CUDNN_INCLUDE_DIR OR NOT WICK_CUDNN_LIBRARY)
      list(APPEND _wick_cuda_missing "cuDNN (cudnn.h, libcudnn)")
    endif()
  endif()

  if(_wick_cuda_missing)
    if(_wick_cuda_mode STREQUAL "ON")
      message(FATAL_ERROR "WICK_CUDA=ON but not found: ${_wick_cuda_missing}")
    endif()
    message(STATUS "Wick: CUDA backend off (not found: ${_wick_cuda_missing})")
  else()
    set(WICK_CUDA_ENABLED ON)
  endif()
endif()

if(WICK_CUDA_ENABLED)
  file(GLOB_RECURSE WICK_CUDA_SOURCES CONFIGURE_DEPENDS
    "${PROJECT_SOURCE_DIR}/cuda/*.cu" "${PROJECT_SOURCE_DIR}/cuda/*.cpp")
  if(NOT WICK_CUDA_SOURCES)
    message(STATUS "Wick: CUDA and cuDNN found, but the CUDA backend has no sources yet (cuda/)")
  else()
    # Build for the GPU in this machine unless the user chose architectures. Without a visible GPU
    # (CI, build machines): sm_90 code for the project's H100/H200 plus compute_90 PTX, which newer
    # GPUs JIT-compile. One architecture keeps the CI build cheap; pass -DCMAKE_CUDA_ARCHITECTURES
    # (e.g. "80;90") for more.
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      find_program(WICK_NVIDIA_SMI nvidia-smi)
      mark_as_advanced(WICK_NVIDIA_SMI)
      set(_wick_gpu_visible OFF)
      if(WICK_NVIDIA_SMI)
        execute_process(COMMAND "${WICK_NVIDIA_SMI}" -L RESULT_VARIABLE _wick_smi_rc
                        OUTPUT_VARIABLE _wick_smi_out ERROR_QUIET)
        if(_wick_smi_rc EQUAL 0 AND _wick_smi_out MATCHES "GPU")
          set(_wick_gpu_visible ON)
        endif()
      endif()
      if(_wick_gpu_visible)
        set(CMAKE_CUDA_ARCHITECTURES native)
      else()
        set(CMAKE_CUDA_ARCHITECTURES 90)
      endif()
    endif()
    enable_language(CUDA)
    # One CUDA runtime: the shared libcudart behind CUDA::cudart, for every target here.
    set(CMAKE_CUDA_RUNTIME_LIBRARY Shared)
    if(CMAKE_CUDA_COMPILER_VERSION VERSION_LESS 12.0)
      message(FATAL_ERROR "Wick: the CUDA backend needs C++20 in nvcc (CUDA 12 or newer), "
                          "found ${CMAKE_CUDA_COMPILER_VERSION}; configure with -DWICK_CUDA=OFF")
    endif()

    add_library(wick_cuda STATIC ${WICK_CUDA_SOURCES})
    add_library(wick::wick_cuda ALIAS wick_cuda)
    target_include_directories(wick_cuda PRIVATE
      "${PROJECT_SOURCE_DIR}/cuda" ${WICK_CUDNN_INCLUDE_DIR})
    target_link_libraries(wick_cuda
      PUBLIC wick
      PRIVATE CUDA::cudart CUDA::cublas ${WICK_CUDNN_LIBRARY})
    set_target_properties(wick_cuda PROPERTIES
      POSITION_INDEPENDENT_CODE ON
      CUDA_SEPARABLE_COMPILATION OFF)
    # CMake 3.25 knows no CUDA20 dialect for nvcc, so C++20 is asked for directly.
    if(DEFINED CMAKE_CUDA20_STANDARD_COMPILE_OPTION)
      target_compile_features(wick_cuda PRIVATE cuda_std_20)
    else()
      target_compile_options(wick_cuda PRIVATE $<$<COMPILE_LANGUAGE:CUDA>:-std=c++20>)
    endif()
    # The backend registers itself from a static initializer in register.cpp; a program that links
    # the archive keeps that object through this symbol (wick_link_backends also links it whole).
    target_link_options(wick_cuda INTERFACE "LINKER:--undefined=wick_cuda_backend_anchor")
    wick_target_options(wick_cuda)
    message(STATUS "Wick: CUDA backend on (CUDA ${CUDAToolkit_VERSION}, "
                   "arch ${CMAKE_CUDA_ARCHITECTURES}, cuDNN ${WICK_CUDNN_LIBRARY})")
  endif()
endif()
