"""Training of the learned extraction components (``make train``)."""
