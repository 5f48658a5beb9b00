/**
 * Network design: the output head a task calls for and the factories that turn model and training specs into DL4J
 * configurations (MLP, CNN, RNN, autoencoder; a GAN's three networks), the layers DL4J lacks (the GRU and the flat-row
 * to sequence reshape), and the checked reader of saved networks. No Spark.
 */
package io.trainyard.model;
