"""Tools of this project that are not the engine: the benchmark of the port against diffusers, and what pip resolves
for each install line of the package."""
