/**
 * The connection pages' look: HubSpot's popup size (about 760 px wide) down to 1280×720 at 200 % zoom. Inline in
 * each page, so the popup needs no second request and nothing about it is cached.
 */
export const STYLE = `*{box-sizing:border-box}
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#213343;background:#f5f8fa}
.bar{display:flex;align-items:center;gap:.6rem;padding:.7rem 1.2rem;background:#213343;color:#fff;font-weight:600}
.bar svg{width:1.6rem;height:1.6rem;flex:none}.bar .for{font-weight:400;color:#cbd6e2;margin-left:auto;font-size:.9rem;text-align:right}
main{max-width:40rem;margin:0 auto;padding:1.2rem 1.2rem 2rem}
h1{font-size:1.45rem;line-height:1.25;margin:.4rem 0 .5rem;overflow-wrap:anywhere}
.lead{color:#516f90;margin:.2rem 0 1rem}
.steps{list-style:none;display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;padding:0;margin:0 0 .6rem;font-size:.85rem;color:#516f90;counter-reset:s}
.steps li{counter-increment:s}.steps li::before{content:counter(s);display:inline-grid;place-items:center;width:1.3rem;height:1.3rem;margin-right:.35rem;border-radius:50%;border:1px solid #cbd6e2;font-size:.75rem}
.steps li.done::before{content:'✓';background:#00bda5;border-color:#00bda5;color:#fff}
.steps li[aria-current]{color:#213343;font-weight:600}.steps li[aria-current]::before{background:#ff7a59;border-color:#ff7a59;color:#fff}
.card{background:#fff;border:1px solid #cbd6e2;border-radius:8px;margin:.8rem 0;padding:.9rem 1.1rem 1.1rem}
fieldset.card{min-width:0}legend{font-weight:600;padding:0 .3rem}.card .hint{margin:.1rem 0 .4rem;color:#516f90;font-size:.9rem}
label{display:block;margin:.55rem 0;font-weight:600;font-size:.92rem}
input[type=text],input[type=password],input[type=url]{display:block;width:100%;margin-top:.25rem;padding:.45rem .55rem;font:inherit;font-weight:400;border:1px solid #cbd6e2;border-radius:4px;background:#fff}
input:focus{border-color:#0091ae}
button,.button{font:inherit;font-weight:600;padding:.5rem 1rem;background:#ff7a59;color:#fff;border:1px solid #ff7a59;border-radius:4px;text-decoration:none;display:inline-block;cursor:pointer;line-height:1.35}
button:hover,.button:hover{background:#ff8f73}
.secondary{background:#fff;color:#213343;border-color:#cbd6e2;font-weight:400}.secondary:hover{background:#f5f8fa}
:focus-visible{outline:2px solid #0091ae;outline-offset:2px}
.actions{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center;margin:1.1rem 0 .4rem}
.error{background:#fde8e8;border-left:4px solid #d94c53;padding:.6rem 1rem;margin:.8rem 0;overflow-wrap:anywhere}
.ok{background:#e5f8f6;border-left:4px solid #00bda5;padding:.6rem 1rem;margin:.8rem 0}
dl{margin:.6rem 0}dt{font-weight:600;font-size:.9rem;margin-top:.6rem}dd{margin:.2rem 0 0}
code{background:#f5f8fa;border:1px solid #e5eaf0;border-radius:4px;padding:.15rem .35rem;word-break:break-all;display:inline-block;max-width:100%}
.muted{color:#516f90}.note{color:#516f90;font-size:.9rem}`;
