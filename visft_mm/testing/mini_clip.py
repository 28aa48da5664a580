"""A foundation model in miniature: the tiny EVA-CLIP of :mod:`.synthetic_clip`, trained contrastively on the
synthetic image-caption pairs, so that the demo's ViSFT runs on a backbone that has learnt something.

Training is open_clip's recipe, small: ``ClipLoss`` (symmetric InfoNCE with a learnt temperature), AdamW with
open_clip's weight-decay split, open_clip_train's warm-up + cosine schedule and ``logit_scale`` clamp.  The data
path is single-threaded and seeded: every image is decoded and resized once (cv2 bilinear, as the demo
pipelines), each step draws images without replacement, one of their captions and a horizontal flip (the captions
never say left or right) from one ``torch.Generator``.

The vision trunk trains at ``image_size`` (112 px by default: 65 tokens instead of 257); its position embedding
stays EVA-CLIP's 224-px grid (16 x 16), interpolated to the training grid as ``visft_mm.EVAViT`` interpolates it
(mmpretrain's bicubic ``resize_pos_embed``), so the written file is an ordinary 224-px EVA-CLIP checkpoint.

The result is written like :func:`.synthetic_clip.write_tiny_eva_clip` (EVA-CLIP layout: ``visual.*``,
``text.*``, ``logit_scale``), with a JSON sidecar (``<file>.json``) recording the settings, the data
fingerprint, the file's hash and the training statistics; a later call with the same settings and data returns
the recorded statistics without training.
"""
import hashlib
import json
import math
import os
import os.path as osp
import time
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from timm.models import build_model_with_cfg, register_model
from timm.models.eva import Eva

from visft_mm.checkpoint.fingerprint import file_fingerprint
from visft_mm.testing.synthetic_clip import TINY_EVA, export_eva_clip, tiny_clip_config

SIDECAR_VERSION = 1
PRETRAIN_DEFAULTS = dict(steps=300, batch_size=32, image_size=112, lr=1e-3, weight_decay=0.1, warmup=30, seed=0)


class _EvaEVAViTPosEmbed(Eva):
    """timm's Eva at any input size, its 224-px position embedding resized as ``visft_mm.EVAViT`` resizes it
    (timm's own dynamic-size path antialiases, EVAViT does not: the trained model must see at 112 px what the
    stage-1 heads will show it)."""

    def _pos_embed(self, x):
        from mmpretrain.models.utils import resize_pos_embed
        batch, height, width, channels = x.shape
        grid = self.patch_embed.grid_size
        pos_embed = resize_pos_embed(self.pos_embed, grid, (height, width), mode='bicubic', num_extra_tokens=1)
        x = torch.cat([self.cls_token.expand(batch, -1, -1), x.reshape(batch, -1, channels)], dim=1)
        return self.pos_drop(x + pos_embed), None


@register_model
def visft_eva_tiny_anysize_patch14_224(pretrained: bool = False, **kwargs) -> Eva:
    """EVAViT ``tiny``'s shape (pre-norm), any input size (multiple of 14), same weights as
    ``visft_eva_tiny_patch14_224``."""
    if pretrained:
        raise ValueError('the tiny test Eva models have no pretrained weights')
    return build_model_with_cfg(_EvaEVAViTPosEmbed, 'visft_eva_tiny', pretrained=False,
                                **dict(TINY_EVA, dynamic_img_size=True, **kwargs))


def build_mini_clip(seed: int = 0):
    """open_clip's ``CustomTextCLIP`` with :func:`.synthetic_clip.tiny_clip_config`'s shapes (its state dict
    has the same keys and shapes), open_clip's / timm's own initialisation, any input size."""
    from open_clip.model import CustomTextCLIP
    cfg = tiny_clip_config()
    vision_cfg = dict(cfg['vision_cfg'], timm_model_name='visft_eva_tiny_anysize_patch14_224')
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        model = CustomTextCLIP(embed_dim=cfg['embed_dim'], vision_cfg=vision_cfg, text_cfg=cfg['text_cfg'])
    return model


# ---------------------------------------------------------------------------------------------------- data
def read_caption_pairs(data_root: str, split: str = 'train') -> Tuple[List[str], List[List[str]]]:
    """(image paths, captions per image) of the synthetic COCO tree's ``split``, in the annotation file's order."""
    ann_file = osp.join(data_root, 'coco', 'annotations', f'captions_{split}2017.json')
    if not osp.isfile(ann_file):
        raise FileNotFoundError(f'{ann_file!r} does not exist: pretraining reads the COCO caption tree that '
                                'visft_mm.testing.generate_synthetic_data writes')
    with open(ann_file) as f:
        coco = json.load(f)
    captions: Dict[int, List[str]] = {image['id']: [] for image in coco['images']}
    for ann in coco['annotations']:
        if ann['image_id'] not in captions:
            raise ValueError(f'{ann_file!r}: caption {ann.get("id")} names image_id {ann["image_id"]}, which is '
                             'not in "images"')
        captions[ann['image_id']].append(ann['caption'])
    uncaptioned = [image['file_name'] for image in coco['images'] if not captions[image['id']]]
    if uncaptioned:
        raise ValueError(f'{ann_file!r}: {len(uncaptioned)} images have no caption, e.g. {uncaptioned[0]!r}')
    if not coco['images']:
        raise ValueError(f'{ann_file!r} lists no images')
    paths = [osp.join(data_root, 'coco', f'{split}2017', image['file_name']) for image in coco['images']]
    return paths, [captions[image['id']] for image in coco['images']]


def load_images(paths: Sequence[str], image_size: int) -> torch.Tensor:
    """(N, 3, S, S) uint8 RGB, each image resized to a square with cv2 bilinear (mmcv, as the demo pipelines)."""
    import mmcv
    out = torch.empty(len(paths), 3, image_size, image_size, dtype=torch.uint8)
    for index, path in enumerate(paths):
        image = mmcv.imread(path, channel_order='rgb')
        if image is None:
            raise FileNotFoundError(f'cannot read image {path!r}')
        out[index] = torch.from_numpy(mmcv.imresize(image, (image_size, image_size))).permute(2, 0, 1)
    return out


def normalize(images: torch.Tensor) -> torch.Tensor:
    """uint8 RGB -> float, CLIP's mean / std (the statistics every EVA-CLIP config uses)."""
    from open_clip.constants import OPENAI_DATASET_MEAN, OPENAI_DATASET_STD
    mean = torch.tensor(OPENAI_DATASET_MEAN).view(1, 3, 1, 1) * 255
    std = torch.tensor(OPENAI_DATASET_STD).view(1, 3, 1, 1) * 255
    return (images.float() - mean) / std


def data_fingerprint(data_root: str, split: str = 'train') -> str:
    """:func:`~visft_mm.checkpoint.fingerprint.file_fingerprint` of the caption file and every image (what training
    reads)."""
    paths, _ = read_caption_pairs(data_root, split)
    return file_fingerprint([osp.join(data_root, 'coco', 'annotations', f'captions_{split}2017.json')] + paths)


def file_sha1(path: str) -> str:
    digest = hashlib.sha1()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------------- training
def _param_groups(model, weight_decay: float) -> List[dict]:
    """open_clip_train's split: no weight decay on gains, biases and ``logit_scale``."""
    decay, no_decay = [], []
    for name, param in model.named_parameters():
        excluded = param.ndim < 2 or 'bn' in name or 'ln' in name or 'bias' in name or 'logit_scale' in name
        (no_decay if excluded else decay).append(param)
    return [dict(params=no_decay, weight_decay=0.), dict(params=decay, weight_decay=weight_decay)]


def _sidecar(out_file: str) -> str:
    return out_file + '.json'


def _read_cache(out_file: str, key: dict) -> Optional[dict]:
    sidecar = _sidecar(out_file)
    if not (osp.isfile(out_file) and osp.isfile(sidecar)):
        return None
    with open(sidecar) as f:
        record = json.load(f)
    if record.get('key') != key or record.get('file_sha1') != file_sha1(out_file):
        return None
    return record


def _numerics() -> dict:
    """What the trained weights' rounding depends on beyond the settings (``tools/demo.py`` pins them): a file
    trained under other kernels or thread counts is trained again, not reused."""
    return dict(mkl_cbwr=os.environ.get('MKL_CBWR'), cpu_capability=torch.backends.cpu.get_cpu_capability(),
                onednn=torch.backends.mkldnn.enabled, threads=torch.get_num_threads())


def pretrain_mini_clip(data_root: str, out_file: str, steps: int = PRETRAIN_DEFAULTS['steps'],
                       batch_size: int = PRETRAIN_DEFAULTS['batch_size'],
                       image_size: int = PRETRAIN_DEFAULTS['image_size'], lr: float = PRETRAIN_DEFAULTS['lr'],
                       weight_decay: float = PRETRAIN_DEFAULTS['weight_decay'],
                       warmup: int = PRETRAIN_DEFAULTS['warmup'], seed: int = PRETRAIN_DEFAULTS['seed'],
                       split: str = 'train', log: Callable[[str], None] = print) -> dict:
    """Train the tiny CLIP contrastively on ``<data_root>/coco/{split}2017`` and its captions; write it to
    ``out_file`` as a full EVA-CLIP checkpoint.  Returns the statistics (``first_loss``, ``last_loss``: means of
    the first / last tenth of the steps; wall ``seconds``, ``cpu_seconds`` of all threads, ``cached``...); with
    the same settings and data as the file's sidecar records, returns them without training (``cached=True``)."""
    from open_clip.loss import ClipLoss
    from open_clip_train.scheduler import cosine_lr

    from visft_mm.models.zero_shot.clip_towers import build_tokenizer

    for name, value in (('steps', steps), ('batch_size', batch_size), ('image_size', image_size)):
        if not isinstance(value, int) or value < 1:
            raise ValueError(f'{name} must be a positive integer, got {value!r}')
    if image_size % TINY_EVA['patch_size']:
        raise ValueError(f'image_size must be a multiple of the patch size {TINY_EVA["patch_size"]}, got '
                         f'{image_size}')
    key = dict(version=SIDECAR_VERSION, model=tiny_clip_config(), steps=steps, batch_size=batch_size,
               image_size=image_size, lr=lr, weight_decay=weight_decay, warmup=warmup, seed=seed, split=split,
               data=data_fingerprint(data_root, split), torch=torch.__version__, numerics=_numerics())
    cached = _read_cache(out_file, key)
    if cached is not None:
        log(f'mini CLIP: {out_file} is up to date (same settings and data), not retrained')
        return dict(cached['stats'], cached=True)

    start, start_cpu = time.perf_counter(), time.process_time()
    paths, captions = read_caption_pairs(data_root, split)
    if batch_size > len(paths):
        raise ValueError(f'batch_size {batch_size} is larger than the {len(paths)} images of {data_root!r} '
                         f'({split}): a contrastive batch needs distinct images')
    images = load_images(paths, image_size)
    tokenizer = build_tokenizer(tiny_clip_config())
    flat = [caption for per_image in captions for caption in per_image]
    tokens = tokenizer(flat)
    first_caption = np.cumsum([0] + [len(c) for c in captions])[:-1]
    num_captions = torch.tensor([len(c) for c in captions])
    first_caption = torch.from_numpy(first_caption)
    load_seconds = time.perf_counter() - start

    model = build_mini_clip(seed).train()
    optimizer = torch.optim.AdamW(_param_groups(model, weight_decay), lr=lr, betas=(0.9, 0.98), eps=1e-6,
                                  fused=True)  # one kernel per group: the 3M-entry token embedding dominates
    schedule = cosine_lr(optimizer, lr, warmup, steps)
    loss_fn = ClipLoss()
    generator = torch.Generator().manual_seed(seed)
    order, cursor, losses = torch.randperm(len(paths), generator=generator), 0, []
    log(f'mini CLIP: {len(paths)} images, {len(flat)} captions of {data_root}; {steps} steps x {batch_size} at '
        f'{image_size} px')
    for step in range(steps):
        if cursor + batch_size > len(order):
            order, cursor = torch.randperm(len(paths), generator=generator), 0
        index = order[cursor:cursor + batch_size]
        cursor += batch_size
        pick = (torch.rand(batch_size, generator=generator) * num_captions[index]).long()
        flip = torch.rand(batch_size, generator=generator) < 0.5
        batch = images[index]
        batch = torch.where(flip.view(-1, 1, 1, 1), batch.flip(-1), batch)
        schedule(step)
        image_features, text_features, logit_scale = model(normalize(batch), tokens[first_caption[index] + pick])
        loss = loss_fn(image_features, text_features, logit_scale)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            model.logit_scale.clamp_(0, math.log(100))
        losses.append(loss.item())
        if (step + 1) % max(1, steps // 10) == 0 or step + 1 == steps:
            log(f'mini CLIP step {step + 1}/{steps}: loss {losses[-1]:.4f}, '
                f'temperature 1/{math.exp(model.logit_scale.item()):.1f}, '
                f'{time.perf_counter() - start:.0f} s')
    tenth = max(1, steps // 10)
    stats = dict(first_loss=float(np.mean(losses[:tenth])), last_loss=float(np.mean(losses[-tenth:])),
                 chance_loss=math.log(batch_size), steps=steps, images=len(paths), captions=len(flat),
                 seconds=round(time.perf_counter() - start, 2), load_seconds=round(load_seconds, 2),
                 cpu_seconds=round(time.process_time() - start_cpu, 2), threads=torch.get_num_threads())
    os.makedirs(osp.dirname(osp.abspath(out_file)), exist_ok=True)
    torch.save(export_eva_clip(model.eval(), 'eva_clip'), out_file)
    with open(_sidecar(out_file), 'w') as f:
        json.dump(dict(key=key, file_sha1=file_sha1(out_file), stats=stats), f, indent=1)
    log(f'mini CLIP: loss {stats["first_loss"]:.3f} -> {stats["last_loss"]:.3f} (chance {stats["chance_loss"]:.3f}) '
        f'in {stats["seconds"]:.0f} s; wrote {out_file}')
    return dict(stats, cached=False)


# ---------------------------------------------------------------------------------------------------- evaluation
ZERO_SHOT_TEMPLATES = ('a photo of a {c}.', 'a {c} on a gray background.', 'an image with a {c}.')


def single_object_labels(data_root: str, split: str = 'val') -> Tuple[List[str], List[str], List[str]]:
    """(image paths, shape names, colour names) of the ``split`` images that show exactly one shape (no crowd);
    the shape comes from the instance annotations, the colour from the captions (the one colour word they use)."""
    from visft_mm.testing.shapes import COLORS
    ann_file = osp.join(data_root, 'coco', 'annotations', f'instances_{split}2017.json')
    if not osp.isfile(ann_file):
        raise FileNotFoundError(f'{ann_file!r} does not exist (written by generate_synthetic_data)')
    with open(ann_file) as f:
        coco = json.load(f)
    names = {c['id']: c['name'] for c in coco['categories']}
    per_image: Dict[int, list] = {}
    for ann in coco['annotations']:
        per_image.setdefault(ann['image_id'], []).append(ann)
    paths, captions = read_caption_pairs(data_root, split)
    id_of = {image['file_name']: image['id'] for image in coco['images']}
    out_paths, shapes, colours = [], [], []
    for path, texts in zip(paths, captions):
        anns = per_image.get(id_of[osp.basename(path)], [])
        if len(anns) != 1 or anns[0]['iscrowd']:
            continue
        words = {w for text in texts for w in text.replace(',', ' ').split()} & set(COLORS)
        if len(words) != 1:
            raise ValueError(f'{path!r}: the captions of a one-shape image name colours {sorted(words)}')
        out_paths.append(path)
        shapes.append(names[anns[0]['category_id']])
        colours.append(words.pop())
    return out_paths, shapes, colours


@torch.no_grad()
def evaluate_mini_clip(clip_file: str, data_root: str, split: str = 'val', image_size: int = 224,
                       templates: Sequence[str] = ZERO_SHOT_TEMPLATES) -> Dict[str, float]:
    """What a CLIP file has learnt, measured through ``visft_mm.ZeroShotCLIP`` loading it (EVAViT vision tower,
    the benchmarks' path) on the synthetic ``split``:

    * ``zero_shot/colour_shape``: 16-way zero-shot classification of the one-shape images into "{colour}
      {shape}" (chance 1/16), with ``zero_shot/colour`` and ``zero_shot/shape`` the accuracies of the predicted
      colour / shape parts (chance 1/4 each); ``zero_shot/shape_only``: 4-way with shape names alone;
    * ``retrieval/i2t_r1``, ``retrieval/t2i_r1``: image -> caption and caption -> image recall@1 over all images
      and captions (captions such as "an empty gray background" repeat across images, so 100 is out of reach).

    Accuracies are percentages; images are resized to ``image_size`` squares as in training."""
    import visft_mm  # noqa: F401  (registers EVAViT and EVAPretrained)
    from visft_mm.models.zero_shot import ZeroShotCLIP
    from visft_mm.testing.shapes import COLORS
    model = ZeroShotCLIP(
        backbone=dict(type='EVAViT', arch='tiny', frozen=True, out_type='cls_token',
                      init_cfg=dict(type='visft_mm.EVAPretrained', checkpoint=clip_file, lora=None)),
        text_model=tiny_clip_config(), clip_checkpoint=clip_file)
    model.init_weights()
    model.eval()

    def embed_images(paths):
        return torch.cat([model.encode_image(normalize(load_images(paths[i:i + 64], image_size)))
                          for i in range(0, len(paths), 64)])

    def classify(features, classnames):
        texts = [t.format(c=name) for name in classnames for t in templates]
        classes = F.normalize(model.encode_text(texts).view(len(classnames), len(templates), -1).mean(1), dim=-1)
        return (features @ classes.t()).argmax(dim=1)

    results = {}
    paths, shapes, colours = single_object_labels(data_root, split)
    if paths:
        features = embed_images(paths)
        shape_names = sorted(set(shapes) | {'circle', 'square', 'star', 'triangle'})
        pairs = [(colour, shape) for colour in COLORS for shape in shape_names]
        predicted = [pairs[i] for i in classify(features, [f'{c} {s}' for c, s in pairs]).tolist()]
        truth = list(zip(colours, shapes))
        results['zero_shot/colour_shape'] = 100. * np.mean([p == t for p, t in zip(predicted, truth)])
        results['zero_shot/colour'] = 100. * np.mean([p[0] == t[0] for p, t in zip(predicted, truth)])
        results['zero_shot/shape'] = 100. * np.mean([p[1] == t[1] for p, t in zip(predicted, truth)])
        shape_only = [shape_names[i] for i in classify(features, shape_names).tolist()]
        results['zero_shot/shape_only'] = 100. * np.mean([p == t for p, t in zip(shape_only, shapes)])
        results['zero_shot/num_images'] = len(paths)

    paths, captions = read_caption_pairs(data_root, split)
    images = embed_images(paths)
    texts = model.encode_text([c for per_image in captions for c in per_image])
    owner = torch.tensor([i for i, per_image in enumerate(captions) for _ in per_image])
    results['retrieval/i2t_r1'] = 100. * float((owner[(images @ texts.t()).argmax(1)] == torch.arange(len(paths)))
                                               .float().mean())
    results['retrieval/t2i_r1'] = 100. * float(((texts @ images.t()).argmax(1) == owner).float().mean())
    results['retrieval/num_images'] = len(paths)
    return {k: round(float(v), 2) for k, v in results.items()}


def write_colour_folders(out_dir: str, images_per_class: int = 16, image_size: int = 96, seed: int = 0) -> str:
    """One shape per image (random kind, size, place, angle) in a class-folder tree by colour
    (``out_dir/<colour>/<n>.png``): the zero-shot set on which the mini CLIP's pretraining shows (colour is
    what it learns first; see :func:`evaluate_mini_clip`)."""
    from PIL import Image, ImageDraw

    from visft_mm.testing.shapes import BACKGROUND, COLORS
    from visft_mm.testing.synthetic_clip import SHAPE_CLASSES, _shape_outline
    rng = np.random.RandomState(seed)
    for colour in sorted(COLORS):
        folder = osp.join(out_dir, colour)
        os.makedirs(folder, exist_ok=True)
        for index in range(images_per_class):
            r = rng.uniform(0.2, 0.4) * image_size
            cx, cy = rng.uniform(r, image_size - r, size=2)
            kind, angle = SHAPE_CLASSES[rng.randint(len(SHAPE_CLASSES))], rng.uniform(0, 2 * np.pi)
            image = Image.new('RGB', (image_size, image_size), BACKGROUND)
            ImageDraw.Draw(image).polygon(_shape_outline(kind, cx, cy, r, angle), fill=COLORS[colour])
            image.save(osp.join(folder, f'{index:04d}.png'))
    return out_dir


def write_untrained_mini_clip(out_file: str, seed: int = 0) -> str:
    """The mini CLIP before pretraining (the baseline of :func:`evaluate_mini_clip`)."""
    os.makedirs(osp.dirname(osp.abspath(out_file)), exist_ok=True)
    torch.save(export_eva_clip(build_mini_clip(seed).eval(), 'eva_clip'), out_file)
    return out_file
