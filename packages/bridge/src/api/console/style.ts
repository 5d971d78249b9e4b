/**
 * The console's look: a 1280 px screen, and the same screen at 200 % zoom (640 CSS px), where the tables become one
 * card per row. Inline in each page, like the connection pages (src/api/connect/style.ts).
 */
export const CONSOLE_STYLE = `*{box-sizing:border-box}
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#213343;background:#f5f8fa}
.bar{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1.2rem;padding:.6rem 1.2rem;background:#213343;color:#fff}
.bar .name{font-weight:600;margin-right:auto}
.bar nav ul{display:flex;flex-wrap:wrap;gap:.3rem .9rem;list-style:none;margin:0;padding:0}
.bar a{display:inline-block;color:#fff;text-decoration:none;padding:.2rem .35rem;border-radius:4px}.bar a[aria-current=page]{background:#425b76;font-weight:600}
.bar form{margin:0}.bar button{background:transparent;border-color:#cbd6e2;color:#fff;font-weight:400;padding:.25rem .7rem}
main{max-width:78rem;margin:0 auto;padding:1rem 1.2rem 2.5rem}
h1{font-size:1.4rem;margin:.4rem 0 .8rem;overflow-wrap:anywhere}h2{font-size:1.1rem;margin:1.4rem 0 .5rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(13rem,1fr));gap:.8rem}
.card{background:#fff;border:1px solid #cbd6e2;border-radius:8px;padding:.8rem 1rem;min-width:0}section.card{margin:0 0 1rem}section.card h2{margin-top:.2rem}
.figure{font-size:1.6rem;font-weight:600;display:block}.card .label{color:#516f90;font-size:.88rem}
.source{color:#516f90;font-size:.8rem;margin:.3rem 0 0}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #cbd6e2}
th,td{text-align:left;vertical-align:top;padding:.4rem .6rem;border-bottom:1px solid #e5eaf0;overflow-wrap:break-word}
th{background:#eaf0f6;font-size:.85rem}
/* A long id wraps inside its own box, so the whole link is one target rather than two half-lines. */
td a,dd a,main li a{display:inline-block;max-width:100%;overflow-wrap:anywhere}
caption{text-align:left;padding:.2rem 0}
@media (max-width:52rem){table,caption,tbody,tr,td{display:block}thead{display:none}td:empty{display:none}tr{border-bottom:2px solid #cbd6e2;padding:.3rem 0}
td{border:0;padding:.15rem .6rem}td[data-label]::before{content:attr(data-label) ': ';font-weight:600;color:#516f90}}
label{display:block;font-weight:600;font-size:.9rem}
input,select{display:block;width:100%;margin-top:.2rem;padding:.4rem .5rem;font:inherit;font-weight:400;border:1px solid #7c98b6;border-radius:4px;background:#fff;color:inherit}
.filters{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.6rem .8rem;align-items:end}
.filters .wide{grid-column:1/-1}
button,.button{font:inherit;font-weight:600;padding:.45rem 1rem;background:#ff7a59;color:#213343;border:1px solid #ff7a59;border-radius:4px;cursor:pointer;text-decoration:none;display:inline-block}
button:hover{background:#ff8f73}
:focus-visible{outline:3px solid #0091ae;outline-offset:2px}
.bar :focus-visible{outline-color:#fff}
.ok{color:#00704a;font-weight:600}.bad{color:#b3232a;font-weight:600}.warn{color:#8a5a00;font-weight:600}
.notice{background:#fff;border-left:4px solid #0091ae;padding:.6rem 1rem;margin:.8rem 0;overflow-wrap:anywhere}
.error{background:#fde8e8;border-left:4px solid #d94c53;padding:.6rem 1rem;margin:.8rem 0;overflow-wrap:anywhere}
dl.facts{display:grid;grid-template-columns:minmax(8rem,12rem) 1fr;gap:.25rem 1rem;margin:.5rem 0}dl.facts dt{font-weight:600}dl.facts dd{margin:0;overflow-wrap:anywhere}
@media (max-width:40rem){dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.4rem}}
code{font-size:.9em;overflow-wrap:anywhere}ul.errors{margin:.2rem 0;padding-left:1.1rem;color:#b3232a}
.muted{color:#516f90}.login{max-width:26rem;margin:3rem auto}`;
