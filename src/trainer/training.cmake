# Training: the spm_trainer library (pipeline, BPE/char/word trainers, the
# SentencePieceTrainer facade) and the spm_train tool. ICU is used here only
# (Unicode scripts); the runtime never links it.
# Included from the top-level CMakeLists.txt, after src/trainer's own
# CMakeLists (spm_charsmap_builder).

find_package(ICU REQUIRED COMPONENTS uc i18n)

set(SPM_TRAINER_DIR ${PROJECT_SOURCE_DIR}/src/trainer)
# BuildNormalizerSpec (normalization_rules.h) comes from the rule builder's
# spm_rules library (src/trainer/CMakeLists.txt).
spm_cc_library(spm_trainer
  SRCS
    ${SPM_TRAINER_DIR}/bpe_merger.cc
    ${SPM_TRAINER_DIR}/bpe_trainer.cc
    ${SPM_TRAINER_DIR}/char_trainer.cc
    ${SPM_TRAINER_DIR}/corpus_preprocessor.cc
    ${SPM_TRAINER_DIR}/model_writer.cc
    ${SPM_TRAINER_DIR}/piece_validator.cc
    ${SPM_TRAINER_DIR}/reservoir_sampler.cc
    ${SPM_TRAINER_DIR}/sentence_loader.cc
    ${SPM_TRAINER_DIR}/sentence_store.cc
    ${SPM_TRAINER_DIR}/spec_fields.cc
    ${SPM_TRAINER_DIR}/spec_validation.cc
    ${SPM_TRAINER_DIR}/trainer_factory.cc
    ${SPM_TRAINER_DIR}/trainer_interface.cc
    ${SPM_TRAINER_DIR}/training_log.cc
    ${SPM_TRAINER_DIR}/unicode_script.cc
    ${SPM_TRAINER_DIR}/unigram_em.cc
    ${SPM_TRAINER_DIR}/unigram_pieces.cc
    ${SPM_TRAINER_DIR}/unigram_pruning.cc
    ${SPM_TRAINER_DIR}/unigram_seeds.cc
    ${SPM_TRAINER_DIR}/unigram_trainer.cc
    ${SPM_TRAINER_DIR}/unigram_words.cc
    ${SPM_TRAINER_DIR}/word_counter.cc
    ${SPM_TRAINER_DIR}/word_split.cc
    ${SPM_TRAINER_DIR}/word_trainer.cc
    ${PROJECT_SOURCE_DIR}/src/sentencepiece_trainer.cc
  DEPS spm_runtime spm_charsmap_builder spm_rules absl::flat_hash_map
       absl::flat_hash_set ICU::uc ICU::i18n Threads::Threads)

add_executable(spm_train ${PROJECT_SOURCE_DIR}/tools/spm_train.cc
  ${PROJECT_SOURCE_DIR}/tools/train_heap.cc)
target_compile_options(spm_train PRIVATE ${SPM_WARNINGS})
target_link_libraries(spm_train PRIVATE spm_trainer spm_flags)
set_target_properties(spm_train PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bin)
