# Desktop integration and manuals, built from sources in assets/ and
# docs/man/ (included by DigitpadInstall.cmake):
#   assets/digitpad.desktop  -> share/applications/
#   assets/digitpad.svg      -> share/icons/hicolor/scalable/apps/, and
#                               rendered with rsvg-convert (librsvg2-bin) to
#                               share/icons/hicolor/NxN/apps/digitpad.png
#   docs/man/*.1.scd         -> scdoc -> share/man/man1/*.1.gz
# The PNGs and man pages are made by the build (target digitpad_assets,
# part of `all`), so `cmake --install` only copies.
option(DIGITPAD_INSTALL_ASSETS
  "Build and install the man pages (scdoc) and icon PNGs (rsvg-convert)" ON)
if(NOT DIGITPAD_INSTALL_ASSETS)
  return()
endif()

find_program(DIGITPAD_SCDOC scdoc)
find_program(DIGITPAD_RSVG_CONVERT rsvg-convert)
find_program(DIGITPAD_GZIP gzip)
foreach(tool SCDOC RSVG_CONVERT GZIP)
  if(NOT DIGITPAD_${tool})
    message(FATAL_ERROR "DIGITPAD_INSTALL_ASSETS needs scdoc, rsvg-convert and gzip "
      "(apt-get install scdoc librsvg2-bin gzip, or scripts/setup), "
      "or configure with -DDIGITPAD_INSTALL_ASSETS=OFF")
  endif()
endforeach()

set(DIGITPAD_ICON_SIZES 16 22 24 32 48 64 128 256 512)
set(DIGITPAD_ICON_SVG ${PROJECT_SOURCE_DIR}/assets/digitpad.svg)
set(assets_out ${CMAKE_CURRENT_BINARY_DIR}/assets)
set(asset_files)
foreach(size ${DIGITPAD_ICON_SIZES})
  set(png ${assets_out}/icons/${size}x${size}/digitpad.png)
  add_custom_command(OUTPUT ${png}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${assets_out}/icons/${size}x${size}
    COMMAND ${DIGITPAD_RSVG_CONVERT} -w ${size} -h ${size} -o ${png} ${DIGITPAD_ICON_SVG}
    DEPENDS ${DIGITPAD_ICON_SVG} VERBATIM)
  list(APPEND asset_files ${png})
  install(FILES ${png} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps
    COMPONENT Runtime)
endforeach()

foreach(page digitpad.1 digitpad-cli.1)
  set(src ${PROJECT_SOURCE_DIR}/docs/man/${page}.scd)
  set(out ${assets_out}/man/${page}.gz)
  # gzip -n: no name or time stamp, so the page is byte-for-byte reproducible.
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${assets_out}/man
    COMMAND sh -c "\"$0\" < \"$1\" | \"$2\" -9n > \"$3\"" ${DIGITPAD_SCDOC} ${src} ${DIGITPAD_GZIP}
            ${out}
    DEPENDS ${src} VERBATIM)
  list(APPEND asset_files ${out})
  install(FILES ${out} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT Runtime)
endforeach()
add_custom_target(digitpad_assets ALL DEPENDS ${asset_files})

install(FILES ${DIGITPAD_ICON_SVG} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps
  COMPONENT Runtime)
install(FILES assets/digitpad.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications
  COMPONENT Runtime)
