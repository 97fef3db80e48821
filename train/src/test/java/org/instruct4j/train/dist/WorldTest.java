package org.instruct4j.train.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.instruct4j.core.io.BadInputException;
import org.junit.jupiter.api.Test;

class WorldTest {
    private static Map<String, String> worker(String rank) {
        Map<String, String> env = new HashMap<>(Map.of(World.WORKER, "1", World.RANK, rank, World.WORLD_SIZE, "4", World.LOCAL_RANK, "1",
                World.LOCAL_WORLD_SIZE, "2", World.MASTER_ADDR, "10.0.0.1", World.MASTER_PORT, "29500"));
        return env;
    }

    @Test
    void aLaunchersWorkerReadsTorchrunsVariables() {
        World world = World.fromEnvironment(worker("3"), "gloo", Duration.ofMinutes(1)).orElseThrow();
        assertThat(world).isEqualTo(new World(3, 4, 1, 2, "10.0.0.1", 29500, "gloo", Duration.ofMinutes(1)));
        assertThat(world.distributed()).isTrue();
        assertThat(world.writes()).isFalse();
    }

    @Test
    void torchrunsVariablesWithoutTheWorkerMarkAreNotADistributedRun() {
        Map<String, String> env = worker("0");
        env.remove(World.WORKER);
        assertThat(World.fromEnvironment(env, "gloo", Duration.ofMinutes(1))).isEmpty();
    }

    @Test
    void anInconsistentEnvironmentIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> World.fromEnvironment(worker("x"), "gloo", Duration.ofMinutes(1)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("RANK='x' is not an integer");
        assertThatThrownBy(() -> World.fromEnvironment(worker("4"), "gloo", Duration.ofMinutes(1)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("rank 4 of 4");
        Map<String, String> noAddr = worker("0");
        noAddr.remove(World.MASTER_ADDR);
        assertThatThrownBy(() -> World.fromEnvironment(noAddr, "gloo", Duration.ofMinutes(1)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("MASTER_ADDR");
    }
}
