"""Read, normalise, segment and extract documents of the helsefellesskap, and store them."""
