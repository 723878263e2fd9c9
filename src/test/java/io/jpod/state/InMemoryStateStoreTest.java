package io.jpod.state;

class InMemoryStateStoreTest extends StateStoreContract {
    @Override
    StateStore open() {
        return new InMemoryStateStore();
    }
}
