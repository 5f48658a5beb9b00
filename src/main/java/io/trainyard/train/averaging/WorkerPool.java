package io.trainyard.train.averaging;

import io.trainyard.train.step.MinibatchFitter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Networks kept alive in an executor JVM between averaging rounds, per engine: building and initialising a network
 * every round is most of what DL4J's master spends. A network is lent to one task at a time (networks are not
 * thread-safe). Only the most recent engines' pools are kept, so a long-lived executor does not collect them.
 */
public final class WorkerPool {
    private static final int MAX_ENGINES = 8;
    private static final Map<String, Deque<MultiLayerNetwork>> POOLS = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<MultiLayerNetwork>> eldest) {
            if (size() <= MAX_ENGINES) {
                return false;
            }
            eldest.getValue().forEach(MinibatchFitter::release);
            return true;
        }
    };

    private WorkerPool() {}

    public static MultiLayerNetwork borrow(String engine, String configurationJson) {
        MultiLayerNetwork net;
        synchronized (POOLS) {
            net = POOLS.computeIfAbsent(engine, k -> new ArrayDeque<>()).pollFirst();
        }
        if (net == null) {
            net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configurationJson));
            net.init();
        }
        return net;
    }

    public static void giveBack(String engine, MultiLayerNetwork net) {
        synchronized (POOLS) {
            POOLS.computeIfAbsent(engine, k -> new ArrayDeque<>()).offerFirst(net);
        }
    }

    public static void retire(String engine) {
        synchronized (POOLS) {
            Deque<MultiLayerNetwork> retired = POOLS.remove(engine);
            if (retired != null) {
                retired.forEach(MinibatchFitter::release);
            }
        }
    }
}
