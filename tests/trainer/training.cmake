# Tests of the training pipeline, the BPE/char/word trainers, the
# SentencePieceTrainer API and spm_train. Included from tests/CMakeLists.txt.
spm_cc_test(trainer_unit_test
  SRCS
    trainer/trainer_options_test.cc
    trainer/trainer_pipeline_test.cc
  DEPS spm_trainer)
spm_cc_test(bpe_merger_test SRCS trainer/bpe_merger_test.cc DEPS spm_trainer)
spm_cc_test(unigram_trainer_test SRCS trainer/unigram_trainer_test.cc DEPS spm_trainer)
spm_cc_test(trainer_api_test SRCS trainer/trainer_api_test.cc DEPS spm_trainer)
# Against the installed reference (skips itself if it is missing): char/word
# .vocab identical, BPE models encoded identically by the reference.
add_test(NAME trainer_reference_compat
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/trainer/reference_compat_test.py
                 ${PROJECT_BINARY_DIR}/bin)
set_tests_properties(trainer_reference_compat PROPERTIES TIMEOUT 900)
# Our Unigram models encoded by the reference's spm_encode exactly as by
# ours (pieces, ids, n-best, seeded sampling), and its vocab-size errors.
add_test(NAME unigram_reference_compat
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/trainer/unigram_reference_test.py
                 ${PROJECT_BINARY_DIR}/bin)
set_tests_properties(unigram_reference_compat PROPERTIES TIMEOUT 600)
add_test(NAME spm_train_cli
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/trainer/spm_train_cli_test.py
                 ${PROJECT_BINARY_DIR}/bin)
set_tests_properties(spm_train_cli PROPERTIES TIMEOUT 300)
