"""Images stored inline as base64 strings (M3IT and other instruction-tuning sets), decoded like image files."""
import base64
import binascii

import mmcv
from mmcv.transforms import BaseTransform

from visft_mm.registry import TRANSFORMS


@TRANSFORMS.register_module()
class LoadImageFromBase64(BaseTransform):
    """Decode ``results[key]`` (base64 of an image file) into ``img`` as mmcv's ``LoadImageFromFile`` does
    (BGR uint8 for ``color_type='color'``), then drop the string so it does not travel with the sample.

    A string that does not decode raises an error naming ``results['source']`` (e.g. ``val.jsonl:12``).
    """

    def __init__(self, key: str = 'img_base64', color_type: str = 'color', imdecode_backend: str = 'cv2',
                 to_float32: bool = False):
        self.key = key
        self.color_type = color_type
        self.imdecode_backend = imdecode_backend
        self.to_float32 = to_float32

    def transform(self, results: dict) -> dict:
        source = results.get('source', '<unknown source>')
        if self.key not in results:
            raise KeyError(f'{source}: no {self.key!r} in the sample (keys: {sorted(results)})')
        try:
            img = mmcv.imfrombytes(base64.b64decode(results.pop(self.key), validate=True), flag=self.color_type,
                                   backend=self.imdecode_backend)
        except (binascii.Error, ValueError, TypeError) as e:
            raise ValueError(f'{source}: the base64 image does not decode: {e}') from e
        if img is None:
            raise ValueError(f'{source}: the base64 string is not an image file {self.imdecode_backend} can read')
        if self.to_float32:
            img = img.astype('float32')
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = img.shape[:2]
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(key={self.key!r}, color_type={self.color_type!r}, '
                f'imdecode_backend={self.imdecode_backend!r}, to_float32={self.to_float32})')
