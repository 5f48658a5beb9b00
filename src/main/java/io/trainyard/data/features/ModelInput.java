package io.trainyard.data.features;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.trainyard.spec.data.TimestampPart;
import java.util.List;

/**
 * One input of the network as fitted on the train split. A scalar input fills one slot; a categorical input fills
 * {@code categories.size() + 1} slots, the last shared by rare and unseen values.
 *
 * @param name           display name ({@code income}, {@code signup_ts_hour}, {@code segment})
 * @param feature        the selected feature it comes from
 * @param part           for timestamp features, which part; otherwise null
 * @param impute         for scalars under {@code data.nulls = impute}: the train mean; otherwise null
 * @param categories     for categoricals: the kept values, most frequent first
 * @param imputeCategory for categoricals under impute: the most frequent train value; otherwise null
 * @param offset         first slot in the input vector
 * @param width          slots taken
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelInput(
        String name,
        String feature,
        boolean categorical,
        TimestampPart part,
        Double impute,
        List<String> categories,
        String imputeCategory,
        int offset,
        int width)
        implements java.io.Serializable {
    public ModelInput {
        categories = categories == null ? null : List.copyOf(categories);
    }
}
