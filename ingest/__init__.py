"""Read, normalise, segment and (later) extract documents of the helsefellesskap."""
