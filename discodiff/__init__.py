"""discodiff: coarse-to-fine text-to-music latent diffusion (DiscoDiff) on DAC latents."""
__version__ = "0.0.1"

# Before anything imports torchaudio (through `dac`), make a compiled extension that cannot load next to this
# torch build count as absent; see nbs/00a_compat.ipynb. Cheap: no imports beyond the standard library.
from .compat import install_torchaudio_guard as _install_torchaudio_guard
_install_torchaudio_guard()
