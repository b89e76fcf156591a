# Word2Vec tests: vectors files, the model and its checkpoint, the kernels against a
# per-pair reference, quality on planted groups at 1, 2 and 4 ranks, determinism, gensim.
dt_add_unit_test(test_vectors SOURCES test_vectors.c)
