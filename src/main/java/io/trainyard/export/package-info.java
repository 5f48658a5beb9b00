/**
 * Models that travel: a trained network written as an ONNX graph ({@link io.trainyard.export.OnnxExport}) that takes
 * the raw input vector (missing values as NaN) and applies the model's imputation and normalisation itself, so
 * ONNX Runtime, PyTorch or a serving stack score it without Trainyard; dense, convolutional and recurrent layers
 * ({@code RecurrentNodes}), networks over text from token ids ({@code TextNodes}), autoencoders and GAN generators. The ONNX messages are the ones ND4J ships,
 * generated against ND4J's shaded protobuf: no second protobuf or JavaCPP on the classpath.
 */
package io.trainyard.export;
