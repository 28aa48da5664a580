"""A tiny synthetic COCO person-keypoints set: figures with the 17 COCO keypoints, in the real file layout.

Written under ``out_dir``::

    coco_pose/{train,val}2017/<12-digit id>.jpg
    coco_pose/annotations/person_keypoints_{train,val}2017.json   (images, annotations with keypoints /
                                                                   num_keypoints / bbox / area / segmentation)

so that mmpose's ``CocoDataset`` (top-down, ground-truth boxes) and ``CocoMetric`` read it unchanged.  Each figure
faces the viewer (its left side on the image's right, as COCO's labels for a frontal person): a filled torso, thick
limbs, a round head and a dot on every joint, one colour per left / right joint pair, so a horizontal flip (which
swaps the left / right labels) stays consistent with the drawing.  Keypoints, box, area and polygon come from
the drawing itself.
"""
import json
import os
import os.path as osp
from typing import Dict, List

import cv2
import numpy as np
from PIL import Image, ImageDraw

KEYPOINT_NAMES = ('nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder', 'right_shoulder',
                  'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee',
                  'right_knee', 'left_ankle', 'right_ankle')
# COCO's person skeleton (1-based keypoint indices, as in person_keypoints_*.json)
SKELETON = ([16, 14], [14, 12], [17, 15], [15, 13], [12, 13], [6, 12], [7, 13], [6, 7], [6, 8], [7, 9], [8, 10],
            [9, 11], [2, 3], [1, 2], [1, 3], [2, 4], [3, 5], [4, 6], [5, 7])
PERSON = dict(id=1, name='person', supercategory='person', keypoints=list(KEYPOINT_NAMES),
              skeleton=[list(s) for s in SKELETON])
# one colour per joint kind (a left / right pair shares it)
JOINT_COLORS = ((255, 255, 255), (255, 220, 0), (255, 220, 0), (255, 120, 0), (255, 120, 0), (0, 220, 255),
                (0, 220, 255), (0, 90, 255), (0, 90, 255), (200, 0, 255), (200, 0, 255), (0, 255, 90),
                (0, 255, 90), (255, 0, 90), (255, 0, 90), (120, 255, 0), (120, 255, 0))
BODY, BACKGROUND = (150, 60, 40), (110, 110, 110)


def _figure_keypoints(rng: np.random.RandomState, cx: float, top: float, height: float) -> np.ndarray:
    """(17, 2) keypoints of a frontal figure ``height`` px tall, centred at ``cx``, head at ``top``."""
    u = height / 2.0  # the figure spans y in about [-1, 0.9] x u (head top to lowest ankle)
    points = np.zeros((17, 2))
    points[0] = (0, -0.80)
    points[1:5] = [(0.05, -0.85), (-0.05, -0.85), (0.11, -0.82), (-0.11, -0.82)]
    points[5:7] = [(0.22, -0.55), (-0.22, -0.55)]
    points[11:13] = [(0.14, 0.05), (-0.14, 0.05)]
    for side, (shoulder, elbow, wrist, hip, knee, ankle) in ((1, (5, 7, 9, 11, 13, 15)),
                                                             (-1, (6, 8, 10, 12, 14, 16))):
        a = rng.uniform(0.15, 2.4)  # upper arm: angle from hanging down, outwards
        b = a + rng.uniform(-0.8, 0.8)
        points[elbow] = points[shoulder] + 0.30 * np.array([side * np.sin(a), np.cos(a)])
        points[wrist] = points[elbow] + 0.27 * np.array([side * np.sin(b), np.cos(b)])
        c = rng.uniform(0.0, 0.45)
        d = c + rng.uniform(-0.3, 0.3)
        points[knee] = points[hip] + 0.42 * np.array([side * np.sin(c), np.cos(c)])
        points[ankle] = points[knee] + 0.42 * np.array([side * np.sin(d), np.cos(d)])
    return np.stack([cx + points[:, 0] * u, top + (points[:, 1] + 1.0) * u], axis=1)


def _draw_figure(draw: ImageDraw.ImageDraw, keypoints: np.ndarray, height: float, body=BODY, joints=True):
    limb = max(2, int(round(0.07 * height)))
    torso = [tuple(keypoints[i]) for i in (5, 6, 12, 11)]
    draw.polygon(torso, fill=body)
    for a, b in ((5, 7), (7, 9), (6, 8), (8, 10), (11, 13), (13, 15), (12, 14), (14, 16)):
        draw.line([tuple(keypoints[a]), tuple(keypoints[b])], fill=body, width=limb)
    r = 0.09 * height
    nx, ny = keypoints[0]
    draw.ellipse([nx - r, ny - r * 1.1, nx + r, ny + r * 0.9], fill=body)
    if joints:
        dot = max(1.5, 0.025 * height)
        for (x, y), color in zip(keypoints, JOINT_COLORS):
            draw.ellipse([x - dot, y - dot, x + dot, y + dot], fill=color)


def _polygons(mask: np.ndarray) -> List[List[float]]:
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return [c.reshape(-1).astype(float).tolist() for c in contours if len(c) >= 3]


def _make_split(rng, root: str, split: str, num_images: int, first_id: int, image_size):
    img_dir = osp.join(root, f'{split}2017')
    os.makedirs(img_dir, exist_ok=True)
    (w_lo, w_hi), (h_lo, h_hi) = image_size
    images, annotations = [], []
    for index in range(num_images):
        image_id = first_id + index
        width, height = int(rng.randint(w_lo, w_hi + 1)), int(rng.randint(h_lo, h_hi + 1))
        image = Image.fromarray(np.clip(np.full((height, width, 3), BACKGROUND, np.int16)
                                        + rng.randint(-12, 13, size=(height, width, 1)), 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(image)
        num_figures = 1 + int(rng.rand() < 0.4)
        slot = width / num_figures
        for k in range(num_figures):
            fig_h = rng.uniform(0.55, 0.9) * height
            cx = slot * (k + 0.5) + rng.uniform(-0.1, 0.1) * slot
            top = rng.uniform(0.02, 0.98 * height - fig_h)
            keypoints = _figure_keypoints(rng, cx, top, fig_h)
            keypoints[:, 0] = np.clip(keypoints[:, 0], 1, width - 2)
            keypoints[:, 1] = np.clip(keypoints[:, 1], 1, height - 2)
            _draw_figure(draw, keypoints, fig_h)
            silhouette = Image.new('L', (width, height), 0)
            _draw_figure(ImageDraw.Draw(silhouette), keypoints, fig_h, body=255, joints=False)
            mask = np.asarray(silhouette) > 0
            ys, xs = np.nonzero(mask)
            x0, y0 = float(xs.min()), float(ys.min())
            annotations.append(dict(
                segmentation=_polygons(mask), num_keypoints=17, area=float(mask.sum()), iscrowd=0,
                keypoints=[v for x, y in keypoints for v in (round(float(x), 2), round(float(y), 2), 2)],
                image_id=image_id, bbox=[x0, y0, float(xs.max()) - x0 + 1, float(ys.max()) - y0 + 1],
                category_id=PERSON['id']))
        file_name = f'{image_id:012d}.jpg'
        image.save(osp.join(img_dir, file_name), quality=95)
        images.append(dict(license=1, file_name=file_name, coco_url='', height=height, width=width,
                           date_captured='2017-01-01 00:00:00', flickr_url='', id=image_id))
    return images, annotations


def generate_pose_data(out_dir: str, num_train: int = 24, num_val: int = 8, seed: int = 0,
                       image_size=((160, 224), (160, 224))) -> Dict[str, str]:
    """Write ``coco_pose/`` under ``out_dir``; returns ``{'person_keypoints_train': path, ...}``."""
    if num_train < 1 or num_val < 1:
        raise ValueError(f'num_train and num_val must be >= 1, got {num_train}, {num_val}')
    rng = np.random.RandomState(seed)
    root = osp.join(out_dir, 'coco_pose')
    os.makedirs(osp.join(root, 'annotations'), exist_ok=True)
    info = dict(description='visft_mm synthetic COCO person keypoints', version='1.0', year=2017,
                contributor='visft_mm', date_created='2017/01/01', url='')
    written = {}
    for split, num, first_id in (('train', num_train, 200001), ('val', num_val, 800001)):
        images, annotations = _make_split(rng, root, split, num, first_id, image_size)
        for ann_id, ann in enumerate(annotations, start=1):
            ann['id'] = first_id * 100 + ann_id
        path = osp.join(root, 'annotations', f'person_keypoints_{split}2017.json')
        with open(path, 'w') as f:
            json.dump(dict(info=info, licenses=[dict(id=1, name='CC0', url='')], images=images,
                           annotations=annotations, categories=[dict(PERSON)]), f)
        written[f'person_keypoints_{split}'] = path
    return written
