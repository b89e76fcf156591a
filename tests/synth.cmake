# The synthetic telescope: byte-for-byte determinism, its counts against an independent
# pcap parser, its planted events against its own senders, and its handling of bad input.
set(DT_SYNTH_WORK ${CMAKE_CURRENT_BINARY_DIR}/synth)
set(DT_SYNTH_CHECK ${CMAKE_CURRENT_SOURCE_DIR}/synth_check.py)
set(DT_SYNTH_SCANNERS ${DT_SHARED_DIR}/data/scanners-ground-truth.csv)

# The tiny telescope the checks read: Ethernet, plain files, the scanner list when present.
add_test(NAME synth_generate_tiny
         COMMAND darktrack-synth -q --preset tiny --seed 3 --out ${DT_SYNTH_WORK}/tiny)
# The same with raw IPv4 frames and every other file compressed.
add_test(NAME synth_generate_tiny_raw_gzip
         COMMAND darktrack-synth -q --preset tiny --seed 3 --linktype raw --gzip=some
                 --out ${DT_SYNTH_WORK}/tiny-raw)
set_tests_properties(synth_generate_tiny synth_generate_tiny_raw_gzip PROPERTIES
    LABELS synth FIXTURES_SETUP synth_tiny ENVIRONMENT "DT_SHARED_DIR=${DT_SHARED_DIR}")

add_test(NAME synth_captures_match_summary
         COMMAND ${DT_PYTHON3} ${DT_SYNTH_CHECK} captures ${DT_SYNTH_WORK}/tiny)
add_test(NAME synth_raw_gzip_match_summary
         COMMAND ${DT_PYTHON3} ${DT_SYNTH_CHECK} captures ${DT_SYNTH_WORK}/tiny-raw)
add_test(NAME synth_truth_consistent
         COMMAND ${DT_PYTHON3} ${DT_SYNTH_CHECK} truth ${DT_SYNTH_WORK}/tiny)
# Link type and compression change the framing only: the truth must be the same bytes.
add_test(NAME synth_framing_keeps_truth
         COMMAND ${CMAKE_COMMAND} -E compare_files ${DT_SYNTH_WORK}/tiny/truth/senders.csv
                 ${DT_SYNTH_WORK}/tiny-raw/truth/senders.csv)
# A reference Word2Vec (gensim, as i-DarkVec) must see every planted group as a group.
add_test(NAME synth_groups_separable
         COMMAND ${DT_PYTHON3} ${DT_SYNTH_CHECK} separable ${DT_SYNTH_WORK}/tiny)
set_tests_properties(synth_groups_separable PROPERTIES
    LABELS synth FIXTURES_REQUIRED synth_tiny SKIP_RETURN_CODE 77
    ENVIRONMENT "PYTHONHASHSEED=0;OPENBLAS_NUM_THREADS=1")
set_tests_properties(synth_captures_match_summary synth_raw_gzip_match_summary
    synth_truth_consistent synth_framing_keeps_truth PROPERTIES
    LABELS synth FIXTURES_REQUIRED synth_tiny)

add_test(NAME synth_deterministic
         COMMAND ${DT_PYTHON3} ${DT_SYNTH_CHECK} determinism $<TARGET_FILE:darktrack-synth>
                 ${DT_SYNTH_WORK}/determinism --preset tiny --gzip=some --scanners none)
add_test(NAME synth_bad_input
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/synth_bad_input.sh $<TARGET_FILE:darktrack-synth>
                 ${DT_SYNTH_WORK}/bad)
set_tests_properties(synth_deterministic synth_bad_input PROPERTIES LABELS synth)
