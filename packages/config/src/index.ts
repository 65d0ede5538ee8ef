// Public API of @gatehouse/config: see ../README.md for the contract (names other packages rely on).
export {};
