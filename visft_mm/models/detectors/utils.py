def check_input_width(detector, in_channels, where: str) -> None:
    """A config that swaps the backbone arch (e.g. eva-g -> eva-e) must swap the first layer's input width too."""
    width = getattr(detector.backbone, 'embed_dims', None)
    if width is not None and list(in_channels) != [width]:
        raise ValueError(f'{type(detector).__name__}: {where}={list(in_channels)} does not match the backbone '
                         f'width {width}; set {where}=[{width}]')
