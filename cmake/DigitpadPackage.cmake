# `cpack -G DEB` (run in the build directory): one .deb with everything
# `cmake --install` installs, under /usr, depending on Debian's own packages.
# To depend on another library, add its Debian package to DIGITPAD_DEB_DEPENDS
# (tests/package.sh checks that every shared library the programs and
# libdigitpad.so link comes from a package listed here).
set(DIGITPAD_DEB_DEPENDS
  libc6
  libsdl2-2.0-0
  libsdl2-ttf-2.0-0
  libopenblas0
  libstb0
  libpng16-16
  libjpeg62-turbo
  zlib1g
  libfontconfig1
  fonts-dejavu-core)
set(DIGITPAD_DEB_EXTRA_DEPENDS "" CACHE STRING
  "More Debian packages for the .deb's Depends (a ;-list, added to DIGITPAD_DEB_DEPENDS)")
list(APPEND DIGITPAD_DEB_DEPENDS ${DIGITPAD_DEB_EXTRA_DEPENDS})
set(DIGITPAD_DEB_MAINTAINER "digitpad maintainers <maintainers@users.noreply.r-seed-44ec709c.example>"
  CACHE STRING "Maintainer field of the .deb")

set(CPACK_PACKAGE_NAME digitpad)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "digitpad")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
  "digitpad is a desktop program in which you draw a digit with the mouse and a \
784-800-10 ReLU/softmax network reads it live, trains on MNIST in the background \
and shows what it learned. digitpad-cli trains, evaluates and benchmarks the \
network, classifies images and converts models to ONNX and NumPy .npz (PyTorch). \
The package also holds the core library (libdigitpad, shared and static), its \
headers, pkg-config file and CMake package.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${DIGITPAD_DEB_MAINTAINER}")
list(JOIN DIGITPAD_DEB_DEPENDS ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
# Building against libdigitpad.so needs only this package; linking the
# static libdigitpad.a also needs its dependencies' development files.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libopenblas-dev, libstb-dev, zlib1g-dev")
# libdigitpad.so.0 for dpkg-shlibdeps of packages built against it (shlibs),
# and the linker cache refreshed through libc-bin's ldconfig trigger, as
# dh_makeshlibs does, rather than by maintainer scripts (so the package has
# none, and installs into a bare root with dpkg --root).
set(deb_control ${CMAKE_CURRENT_BINARY_DIR}/deb-control)
file(MAKE_DIRECTORY ${deb_control})
file(WRITE ${deb_control}/shlibs
  "libdigitpad ${PROJECT_VERSION_MAJOR} digitpad (>= ${PROJECT_VERSION})\n")
file(WRITE ${deb_control}/triggers "activate-noawait ldconfig\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${deb_control}/shlibs ${deb_control}/triggers)
set(CPACK_GENERATOR DEB)
include(CPack)
