"""The portal client layer: addresses (`urls`), HTML to objects (`pages`), navigation over httpx
(`browser`), payment address checks (`payment`). Nothing here imports Textual."""
