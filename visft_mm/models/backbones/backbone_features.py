"""The backbone slot of a head that runs on a backbone shared with other heads (ViSFT stage 2)."""
import torch
import torch.nn as nn

from visft_mm.registry import MODELS


@MODELS.register_module()
class BackboneFeatures(nn.Module):
    """Passes on the feature map the shared backbone already computed, as a one-level backbone output.

    A stage-1 detector / captioner keeps its own ``loss`` / ``predict`` code paths (backbone -> neck -> head);
    :class:`~visft_mm.models.ViSFT` puts this module in its ``backbone`` slot and feeds it the shared EVA-ViT's map.
    ``embed_dims`` is what the head's first layer expects; another width is an error, not a shape crash deep in
    the head.
    """

    def __init__(self, embed_dims: int):
        super().__init__()
        self.embed_dims = embed_dims

    def forward(self, feature_map: torch.Tensor):
        if feature_map.dim() != 4 or feature_map.shape[1] != self.embed_dims:
            raise ValueError(f'expected a (B, {self.embed_dims}, H, W) backbone feature map, '
                             f'got {tuple(feature_map.shape)}')
        return (feature_map, )

    def extra_repr(self) -> str:
        return f'embed_dims={self.embed_dims}'
